package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * A loss-weight schedule as a client sends it. The spec stays a JSON tree until it is checked, so
 * that every broken rule is reported against its path ({@code spec.gamma[1]}) in one response.
 */
@Schema(description = "A loss-weight schedule to create, or a new version of an existing one")
public record ScheduleRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 100, example = "slow-cvr-decay")
        String name,

        @Schema(maxLength = 2000) String description,

        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                implementation = LossWeightSpec.class,
                description = "ω_k(t): {\"type\": \"constant\" | \"exponential\" | \"warmup\" | \"piecewise\" | \"dwa\""
                        + " | \"uncertainty\", …}; see docs/api.md",
                example = "{\"type\": \"exponential\", \"initial\": [1, 1], \"gamma\": [1, 0.9], \"unit\": \"epoch\"}")
        JsonNode spec) {}
