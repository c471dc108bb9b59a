package io.fulcrum.experiment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A study with its runs. */
@Schema(name = "Study")
public record StudyView(
        long id,
        String name,
        long taskGroupId,
        long datasetId,
        List<String> models,
        List<Long> seeds,
        Instant createdAt,

        @Schema(description = "Runs by state, e.g. {\"SUCCEEDED\": 4, \"RUNNING\": 2}")
        java.util.Map<RunState, Integer> progress,

        List<StudyRun> runs) {

    /** One run of the study; {@code model} is "single" for the single-task baselines. */
    public record StudyRun(
            long id,
            String model,
            long seed,
            RunState state,
            String reason,

            @Schema(description = "A finished baseline from earlier reused by this study")
            boolean reused) {}
}
