package io.fulcrum.worker;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A worker node as the API lists it. */
@Schema(name = "Worker")
public record WorkerView(
        long id,
        String name,
        String host,
        String version,
        int cpuCores,
        long memoryBytes,
        int gpuCount,
        List<String> gpuNames,
        List<String> labels,
        int concurrency,

        @Schema(
                description = "The engine it trains with: name, version and native flavour",
                example = "PyTorch 2.5.1 (cpu)")
        String engine,

        @Schema(description = "Why it trains on the CPU although it expected GPUs; null when nothing is wrong")
        String warning,

        WorkerState state,
        Instant startedAt,
        Instant heartbeatAt,

        @Schema(description = "Seconds since the last heartbeat")
        double heartbeatAgeSeconds,

        @Schema(description = "Runs it is training now") List<Long> currentRuns) {

    WorkerView withCurrentRuns(List<Long> runs) {
        return new WorkerView(
                id,
                name,
                host,
                version,
                cpuCores,
                memoryBytes,
                gpuCount,
                gpuNames,
                labels,
                concurrency,
                engine,
                warning,
                state,
                startedAt,
                heartbeatAt,
                heartbeatAgeSeconds,
                List.copyOf(runs));
    }
}
