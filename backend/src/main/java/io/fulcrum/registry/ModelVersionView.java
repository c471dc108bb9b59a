package io.fulcrum.registry;

import io.fulcrum.experiment.RunResult;
import io.fulcrum.experiment.RunTask;
import io.fulcrum.mtl.model.ModelSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** One registered version in full: what it is, how good it was, where it came from, where its artifact is. */
@Schema(description = "A registered model version with its metrics snapshot and lineage")
public record ModelVersionView(
        @Schema(description = "The model's name", example = "video-ranker")
        String model,

        @Schema(description = "From 1, in order of registration", example = "3")
        int version,

        @Schema(description = "The run it was registered from")
        long runId,

        String description,

        @Schema(description = "The aliases pointing at this version now", example = "[\"champion\"]")
        List<String> aliases,

        SpecSummary summary,

        @Schema(description = "The engine's full model spec")
        ModelSpec spec,

        @Schema(description = "The tasks as the run trained them")
        List<RunTask> tasks,

        long taskGroupId,
        long taskGroupVersion,
        long datasetId,

        @Schema(description = "The run's result when it was registered: test metrics, expert utilization, timings")
        RunResult metrics,

        Lineage lineage,
        Artifact artifact,
        Instant createdAt,
        @Schema(description = "Who registered it") String createdBy) {

    /** The registry's copy of the model directory (a zip of spec.json, preprocessing.json, checkpoint.json, parameters.bin). */
    @Schema(name = "ModelVersionArtifact")
    public record Artifact(
            @Schema(example = "models/1/versions/3") String key,
            @Schema(description = "Bytes") long size,

            @Schema(description = "SHA-256 of the zip, lower-case hex")
            String sha256) {}
}
