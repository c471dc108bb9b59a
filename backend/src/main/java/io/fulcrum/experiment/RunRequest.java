package io.fulcrum.experiment;

import io.swagger.v3.oas.annotations.media.Schema;

/** One training job as a user asks for it. */
@Schema(description = "A run to queue")
public record RunRequest(
        @Schema(example = "1") Long taskGroupId,
        @Schema(example = "2") Long datasetId,
        ModelRequest model,
        TrainingSettings training,

        @Schema(description = "A named schedule (its latest version); null for the task group's ω0·γ^t")
        Long lossWeightScheduleId,

        ResourceRequest resources,

        @Schema(description = "Higher runs first, -100 to 100", defaultValue = "0")
        Integer priority,

        @Schema(description = "How many lost leases a run survives, 1 to 10", defaultValue = "3")
        Integer maxAttempts) {}
