package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What to plan an experiment for: where, how long, how much traffic, and optionally the effect to detect. */
@Schema(description = "The planned surface, duration and traffic; with targetLift the users needed for it")
public record PowerPlanRequest(
        @Schema(
                description = "The surface whose recent events give the metrics' baselines and spread",
                example = "home-feed")
        String surface,

        @Schema(
                description = "Primary metrics to plan for; views_per_user and watch_time_per_user when absent",
                example = "[\"watch_time_per_user\"]")
        List<String> metrics,

        @Schema(description = "The planned duration, an ISO-8601 duration from PT1H to P90D", example = "P14D")
        String duration,

        @Schema(
                description = "The share of the surface's users in the experiment, all variants together, in (0, 1]",
                example = "0.2")
        Double trafficShare,

        @Schema(description = "Variants splitting that traffic equally, 2 to 10; 2 when absent", example = "2")
        Integer variants,

        @Schema(
                description =
                        "A relative lift to detect (0.02 = +2 %), > 0; absent: only the minimum detectable effect")
        Double targetLift,

        @Schema(description = "Two-sided significance level in (0, 0.5]; 0.05 when absent")
        Double alpha,

        @Schema(description = "Power in [0.5, 0.99]; 0.8 when absent")
        Double power) {}
