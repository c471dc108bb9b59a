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
        List<AbVariantRequest> variants) {}
