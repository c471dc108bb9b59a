package io.fulcrum.experiment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What a run needs from a worker: a device, how many GPUs, and labels the worker must carry. */
@Schema(description = "What a run needs from the worker that trains it")
public record ResourceRequest(
        @Schema(description = "cpu (default) or gpu", example = "cpu")
        String device,

        @Schema(description = "GPUs needed; 1 by default for gpu, 0 for cpu", example = "0")
        Integer gpuCount,

        @Schema(description = "Labels the worker must all carry, e.g. [\"a100\"]")
        List<String> workerLabels) {

    public static final ResourceRequest CPU = new ResourceRequest("cpu", 0, List.of());

    /** The request with every absent field at its default; assumes it has been validated. */
    public ResourceRequest withDefaults() {
        String d = device == null ? "cpu" : device;
        int gpus = gpuCount != null ? gpuCount : d.equals("gpu") ? 1 : 0;
        return new ResourceRequest(d, gpus, workerLabels == null ? List.of() : List.copyOf(workerLabels));
    }
}
