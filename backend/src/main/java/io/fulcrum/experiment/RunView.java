package io.fulcrum.experiment;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A run as the API shows it. */
@Schema(name = "Run")
public record RunView(
        long id,
        Long studyId,

        @Schema(description = "The model's name in its study, or its architecture")
        String label,

        long taskGroupId,
        long datasetId,
        List<RunTask> tasks,

        @Schema(description = "The engine's full model spec, inputs resolved from the dataset")
        ModelSpec model,

        TrainingSettings training,

        @Schema(description = "The loss-weight schedule the run trains with")
        LossWeightSpec lossWeights,

        Long lossWeightScheduleId,
        Integer lossWeightScheduleVersion,
        ResourceRequest resources,
        int priority,
        RunState state,

        @Schema(description = "Why the run is where it is, in words (e.g. waiting: no live worker has a GPU)")
        String reason,

        @Schema(description = "How many times a worker has claimed the run")
        int attempt,

        int maxAttempts,
        Long workerId,

        @Schema(description = "The last epoch whose checkpoint is stored; a resumed run continues after it")
        int checkpointEpoch,

        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        RunResult result) {}
