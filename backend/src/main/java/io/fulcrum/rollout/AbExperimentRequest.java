package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** An A/B experiment as a client creates or (while DRAFT) replaces it. */
@Schema(description = "The configuration of an A/B experiment")
public record AbExperimentRequest(
        @Schema(description = "1 to 100 characters", example = "ple-v4-vs-champion")
        String name,

        @Schema(description = "The name of the surface the experiment runs on", example = "home-feed")
        String surface,

        @Schema(description = "At most 2,000 characters") String description,

        @Schema(
                description = "Hash salt of the bucket assignment: 1 to 64 of A-Z, a-z, 0-9, '_' and '-';"
                        + " a random 16-hex-digit salt when absent",
                example = "3f9c0a7d51e2b846")
        String salt,

        @Schema(
                description = "The metric the experiment tries to move; any RolloutMetric but p99_latency_ms",
                example = "watch_time_per_user")
        String targetMetric,

        @Schema(description = "Metrics that must not get worse; a breach rolls the experiment back")
        List<Guardrail> guardrails,

        @Schema(
                description = "0 to 10 steps of strictly increasing percent; empty: every variant serves its whole"
                        + " allocation from the start")
        List<RampStep> rampPlan,

        @Schema(description = "2 to 10 variants in bucket order, exactly one of them the control")
        List<AbVariantRequest> variants,

        @Schema(
                description = "fixed or sequential (always-valid intervals); sequential when absent and the"
                        + " experiment has guardrails and a ramp plan, fixed otherwise",
                example = "sequential")
        String analysis,

        @Schema(
                description = "Correction of p-values across metrics: none, holm (family-wise) or"
                        + " benjamini-hochberg (false discovery rate); holm when absent",
                example = "holm")
        String correction,

        @Schema(
                description = "CUPED's pre-exposure window before the start, an ISO-8601 duration from P0D (no"
                        + " CUPED) to P90D; P14D when absent",
                example = "P14D")
        String preExposure,

        @Schema(
                description = "The planned users per variant (see POST /api/ab-experiments/power); tunes the"
                        + " sequential intervals and marks results read before it; at least 10",
                example = "25000")
        Long plannedUsersPerVariant) {

    /** The request without the analysis settings: every one of them takes its default. */
    public AbExperimentRequest(
            String name,
            String surface,
            String description,
            String salt,
            String targetMetric,
            List<Guardrail> guardrails,
            List<RampStep> rampPlan,
            List<AbVariantRequest> variants) {
        this(name, surface, description, salt, targetMetric, guardrails, rampPlan, variants, null, null, null, null);
    }
}
