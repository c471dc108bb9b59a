package io.fulcrum.rollout;

/**
 * A relative lift with what a decision reads from it: its interval at a confidence level and the
 * p-value of a hypothesised lift. {@link RelativeLift} is read once at a fixed horizon; {@link
 * SequentialLift} stays valid however often it is read.
 */
public interface LiftEstimate {

    /** treatment / control − 1. */
    double lift();

    /** The standard error of the lift; NaN when unknown. */
    double standardError();

    /** Lower end of the two-sided interval at {@code confidence} (0.95 for 95 %). */
    double low(double confidence);

    /** Upper end of the two-sided interval at {@code confidence}. */
    double high(double confidence);

    /** Two-sided p-value of "the lift is {@code hypothesis}" (0 for no difference). */
    double pValue(double hypothesis);
}
