package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A power plan: the users to expect and, per primary metric, what they can detect or how many are needed. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "AbPowerPlan")
public record PowerPlanView(
        String surface,

        @Schema(description = "Start of the surface's events the plan reads: now − min(duration, P28D)")
        Instant lookbackFrom,

        Instant lookbackTo,

        @Schema(description = "Distinct users with an exposure on the surface in the lookback")
        long usersObserved,

        @Schema(description = "Users expected per variant over the duration at the traffic share")
        long usersPerVariant,

        @Schema(
                description = "True when the surface's history is shorter than the duration and the users were"
                        + " extrapolated linearly (optimistic: returning users are counted again)")
        boolean extrapolated,

        double alpha,
        double power,
        List<Metric> metrics) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AbPowerPlanMetric")
    public record Metric(
            @Schema(example = "watch_time_per_user") String metric,

            @Schema(description = "The metric over the lookback")
            Double baseline,

            @Schema(description = "σ / μ per user (rates: the delta-method σ of the ratio)")
            Double coefficientOfVariation,

            @Schema(description = "Smallest relative lift detected with the power at usersPerVariant, fixed horizon")
            Double minimumDetectableEffect,

            @Schema(description = "The same read sequentially, intervals planned for this size")
            Double minimumDetectableEffectSequential,

            @Schema(description = "Users per variant needed for targetLift at a fixed horizon; null without one")
            Long usersNeededPerVariant,

            @Schema(description = "Days to reach them at the observed rate of new users; null without targetLift")
            Double daysNeeded) {}
}
