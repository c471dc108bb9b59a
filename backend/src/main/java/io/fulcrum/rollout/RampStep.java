package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fulcrum.system.Json;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * One step of a ramp plan: each variant serves {@code percent} % of its allocation for at least
 * {@code minDuration}, and the next step starts only when the guardrails hold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A ramp step: the share of each variant's allocation that serves, and for how long at least")
public record RampStep(
        @Schema(
                description = "Percent of each variant's allocation that serves during the step, in (0, 100]",
                example = "5")
        Double percent,

        @Schema(
                description = "ISO-8601 duration the step lasts at least before the next may start; PT0S when absent",
                example = "PT1H")
        String minDuration) {

    /** The minimum duration as a {@link Duration} (the stored text is always a valid one). */
    public Duration minimum() {
        return minDuration == null ? Duration.ZERO : Duration.parse(minDuration);
    }

    /** A ramp plan from its stored JSON text; an absent plan is empty. */
    public static List<RampStep> listOf(String json) {
        return json == null ? List.of() : Json.MAPPER.readValue(json, PLAN);
    }

    private static final TypeReference<List<RampStep>> PLAN = new TypeReference<>() {};
}
