package io.fulcrum.registry;

import io.fulcrum.experiment.RunRecord;
import io.fulcrum.experiment.TrainingSettings;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** Where a registered version came from: the run and how it trained, as it was when registered. */
@Schema(name = "ModelLineage", description = "The run a version was registered from and how it trained")
public record Lineage(
        long runId,
        String runLabel,

        @Schema(description = "The study the run belonged to, if any")
        Long studyId,

        @Schema(description = "Identifies runs with the same configuration")
        String configHash,

        @Schema(description = "The worker node that trained it")
        Long workerId,

        @Schema(description = "Which attempt succeeded, from 1")
        int attempt,

        TrainingSettings training,

        @Schema(description = "The loss-weight schedule the run trained with, resolved")
        LossWeightSpec lossWeights,

        Long lossWeightScheduleId,
        Integer lossWeightScheduleVersion,
        Instant runFinishedAt) {

    static Lineage of(RunRecord run) {
        return new Lineage(
                run.id(),
                run.label(),
                run.studyId(),
                run.configHash(),
                run.workerId(),
                run.attempt(),
                run.training(),
                run.lossWeights(),
                run.scheduleId(),
                run.scheduleVersion(),
                run.finishedAt());
    }
}
