package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** A spec to preview before it is saved, with the same query as the preview of a stored schedule. */
@Schema(name = "LossWeightPreviewRequest", description = "A draft spec and what to preview it for")
public record PreviewRequest(
        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                implementation = LossWeightSpec.class,
                example = "{\"type\": \"exponential\", \"initial\": [1, 1], \"gamma\": [1, 0.9]}")
        JsonNode spec,

        @Schema(description = "A task count (\"2\") or comma-separated task names (\"ctr,cvr\")", example = "ctr,cvr")
        String tasks,

        @Schema(description = "Epochs to show, 1 to 1000", defaultValue = "10")
        Integer epochs,

        @Schema(description = "Steps per epoch for step-unit schedules, 1 to 100000", defaultValue = "100")
        Integer stepsPerEpoch) {}
