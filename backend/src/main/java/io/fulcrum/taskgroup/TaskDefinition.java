package io.fulcrum.taskgroup;

import io.swagger.v3.oas.annotations.media.Schema;

/** A task as stored: validated, with every default filled in. */
@Schema(description = "A task of a task group")
public record TaskDefinition(
        @Schema(example = "vtr") String name,
        TaskKind kind,
        @Schema(example = "valid_view") String labelColumn,
        TaskLoss loss,
        EvaluationMetric metric,
        @Schema(nullable = true) SampleSpace sampleSpace,

        @Schema(description = "Initial loss weight ω0 (paper Eq. 10)", example = "1.0")
        double initialWeight,

        @Schema(
                description = "Update ratio γ of the loss weight per step or epoch; 1 keeps it constant",
                example = "1.0")
        double updateRatio) {}
