package io.fulcrum.rollout;

/**
 * A relative lift read with always-valid intervals ({@link SequentialTest}): the fixed-horizon
 * estimate and standard error, widened for the users seen so far against the planned size. The
 * mixing parameter is tuned for {@code alpha}, the level the reader decides at, so intervals and
 * p-values at that level are the ones the test guarantees.
 *
 * @param users users of the two compared variants so far
 * @param plannedUsers users of the two compared variants the test is planned for
 */
public record SequentialLift(RelativeLift fixed, long users, long plannedUsers, double alpha) implements LiftEstimate {

    @Override
    public double lift() {
        return fixed.lift();
    }

    @Override
    public double standardError() {
        return fixed.standardError();
    }

    private double rhoSquared() {
        return SequentialTest.rhoSquared(plannedUsers, alpha);
    }

    /** Half-width of the interval at {@code confidence}: the standard error times the sequential factor. */
    private double halfWidth(double confidence) {
        if (users < 1) {
            return Double.NaN;
        }
        return standardError() * SequentialTest.widthFactor(users, 1 - confidence, rhoSquared());
    }

    @Override
    public double low(double confidence) {
        return lift() - halfWidth(confidence);
    }

    @Override
    public double high(double confidence) {
        return lift() + halfWidth(confidence);
    }

    @Override
    public double pValue(double hypothesis) {
        double se = standardError();
        if (!(se > 0) || users < 1) {
            return Double.NaN;
        }
        return SequentialTest.pValue((lift() - hypothesis) / se, users, rhoSquared());
    }
}
