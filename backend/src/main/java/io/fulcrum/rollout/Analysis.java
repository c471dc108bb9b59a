package io.fulcrum.rollout;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an experiment's results are read: {@code fixed}-horizon intervals, valid when read once at the
 * planned end, or {@code sequential} always-valid ones ({@link SequentialTest}), valid however often
 * they are read. Sequential is the default for an experiment with guardrails and a ramp plan, whose
 * supervisor reads the results every check.
 */
public enum Analysis {
    FIXED(
            "fixed",
            "Fixed-horizon analysis: intervals and p-values hold when read once, at the planned end;"
                    + " acting on the first significant look of many inflates false positives."),
    SEQUENTIAL(
            "sequential",
            "Sequential analysis: always-valid intervals (mixture SPRT), so looking at any time,"
                    + " as often as you like, keeps false positives at the stated level; they are wider than fixed ones.");

    private final String wire;
    private final String meaning;

    Analysis(String wire, String meaning) {
        this.wire = wire;
        this.meaning = meaning;
    }

    public String wire() {
        return wire;
    }

    /** One line for the results page and API: what the analysis in force means. */
    public String meaning() {
        return meaning;
    }

    public static Optional<Analysis> fromWire(String name) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(name)).findFirst();
    }

    /** The default for an experiment: sequential when guardrails and an automatic ramp read it continuously. */
    public static Analysis defaultFor(boolean hasGuardrails, boolean hasRampPlan) {
        return hasGuardrails && hasRampPlan ? SEQUENTIAL : FIXED;
    }
}
