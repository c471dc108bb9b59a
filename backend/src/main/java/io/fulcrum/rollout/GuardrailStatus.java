package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One guardrail of an experiment evaluated for one treatment variant. The ramp supervisor rolls an
 * experiment back when any status of its results is {@link #breached()}; {@link #explanation()} is
 * the sentence it writes into the audit log.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(description = "A guardrail evaluated for one treatment variant")
public record GuardrailStatus(
        @Schema(example = "ple") String variant,
        @Schema(example = "watch_time_per_user") String metric,

        @Schema(
                description = "maxRelativeDrop (per-user and rate metrics) or maxMillis (latency)",
                example = "maxRelativeDrop")
        String rule,

        @Schema(description = "The configured limit: a relative drop (0.02 = 2 %) or milliseconds", example = "0.02")
        double threshold,

        @Schema(
                description = "The relative lift vs the control (maxRelativeDrop) or the variant's p99 in ms"
                        + " (maxMillis); null while undefined")
        Double observed,

        @Schema(
                description = "maxRelativeDrop: two-sided p-value of lift = −threshold; maxMillis: one-sided"
                        + " p-value of 'more than 1 % of requests are slower than threshold'; null while undefined")
        Double pValue,

        @Schema(description = "True when the variant is significantly worse than the guardrail allows")
        boolean breached,

        @Schema(
                example = "watch_time_per_user of ple is −4.1 % (95 % CI −6.0 % … −2.2 %) vs control, worse than"
                        + " the allowed −2 %")
        String explanation) {

    public static final String MAX_RELATIVE_DROP = "maxRelativeDrop";
    public static final String MAX_MILLIS = "maxMillis";
}
