package io.fulcrum.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the ramp and guardrail supervisor needs of a RUNNING experiment: where it is in its ramp plan,
 * since when, and what it must not break.
 */
public record RunningAbExperiment(
        long id,
        long surfaceId,
        List<RampStep> rampPlan,
        int rampStep,
        Instant rampStepStartedAt,
        List<Guardrail> guardrails,
        Instant startedAt) {

    /** Percent of each variant's allocation that serves now; 100 with an empty plan. */
    public double rampPercent() {
        return AbExperiments.rampPercent(rampPlan, rampStep);
    }

    /** Whether there is a step after the current one (the last step stays, whatever its percent). */
    public boolean hasNextStep() {
        return rampStep + 1 < rampPlan.size();
    }

    /** The earliest moment the next step may start: the current step's start plus its minimum duration. */
    public Instant currentStepEndsNoEarlierThan() {
        Duration minimum =
                rampPlan.isEmpty() ? Duration.ZERO : rampPlan.get(rampStep).minimum();
        return rampStepStartedAt.plus(minimum);
    }
}
