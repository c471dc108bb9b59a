package io.fulcrum.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The weight curve of one schedule version for a number of tasks: {@code weights[k]} is ω_k(t).
 * Schedules counted in epochs give one point per epoch, those counted in steps one per step.
 */
@Schema(name = "LossWeightSchedulePreview")
public record SchedulePreview(
        @Schema(nullable = true, description = "null for a spec previewed before it is saved")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        Long scheduleId,

        @Schema(nullable = true, description = "null for a spec previewed before it is saved")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        Integer version,

        @Schema(example = "exponential") String type,

        @Schema(
                description = "What t counts: epoch or step",
                allowableValues = {"epoch", "step"})
        String unit,

        @Schema(description = "The task names given, or task1 … taskK for a count")
        List<String> tasks,

        List<Point> points,

        @Schema(
                nullable = true,
                description = "Set when the weights depend on training (DWA, uncertainty): what the points show")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        String note) {

    @Schema(name = "LossWeightPoint")
    public record Point(
            @Schema(description = "Epoch or step, from 0") long t, float[] weights) {}
}
