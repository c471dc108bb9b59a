package io.fulcrum.experiment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A comparison to run: one task group × dataset × models × seeds × (optionally) schedules. */
@Schema(description = "A study: every model trained on every seed (and schedule), plus single-task baselines")
public record StudyRequest(
        @Schema(example = "ple-vs-mmoe") String name,
        @Schema(example = "1") Long taskGroupId,
        @Schema(example = "2") Long datasetId,
        List<ModelRequest> models,
        @Schema(example = "[1, 2, 3]") List<Long> seeds,
        TrainingSettings training,

        @Schema(description = "One named schedule for every model; null for the task group's ω0·γ^t")
        Long lossWeightScheduleId,

        @Schema(description = "Several schedules to compare; every model is trained with each")
        List<Long> lossWeightScheduleIds,

        ResourceRequest resources,
        Integer priority,

        @Schema(
                description =
                        "Scale every model's expert, bottom and tower widths (not the single-task baselines') so that"
                                + " its parameter count is within 5% of the reference: parameterBudget, or the largest model")
        Boolean matchParameters,

        @Schema(description = "The parameter count to match; needs matchParameters", example = "100000")
        Long parameterBudget) {}
