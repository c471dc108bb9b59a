package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fulcrum.system.Json;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * A metric a treatment variant must not make worse than the control by more than a bound:
 * {@code maxRelativeDrop} (a fraction of the control's value) for per-user and rate metrics, {@code
 * maxMillis} (a bound on the variant's p99 ranking latency) for latency, tested at significance {@code alpha}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A guardrail: the metric, its bound (one of maxRelativeDrop or maxMillis) and alpha")
public record Guardrail(
        @Schema(description = "A metric wire name, see RolloutMetric", example = "watch_time_per_user")
        String metric,

        @Schema(
                description =
                        "For per-user and rate metrics: the largest tolerated drop relative to control, in [0, 1)",
                example = "0.02")
        Double maxRelativeDrop,

        @Schema(
                description =
                        "For p99_latency_ms: the p99 the variant's ranking requests must stay at or below, in ms, > 0",
                example = "20")
        Double maxMillis,

        @Schema(description = "Significance level of the breach test, in (0, 0.5]; 0.05 when absent", example = "0.05")
        Double alpha) {

    public static final double DEFAULT_ALPHA = 0.05;

    public double alphaOrDefault() {
        return alpha == null ? DEFAULT_ALPHA : alpha;
    }

    /** The metric, when its wire name is known. */
    public Optional<RolloutMetric> rolloutMetric() {
        return RolloutMetric.fromWire(metric);
    }

    /** An experiment's guardrails from their stored JSON text; absent ones are none. */
    public static List<Guardrail> listOf(String json) {
        return json == null ? List.of() : Json.MAPPER.readValue(json, LIST);
    }

    private static final TypeReference<List<Guardrail>> LIST = new TypeReference<>() {};
}
