package io.fulcrum.mtl.metric;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The MTL gain of a model on one task over seeds, each gain paired with the single-task baseline of
 * the same seed ({@link MtlGain}): mean, sample standard deviation, the number of paired seeds and a 95%
 * confidence interval of the mean from Student's t with n − 1 degrees of freedom. One seed has no
 * interval: {@code ciLow} and {@code ciHigh} are NaN.
 */
public record PairedGain(double mean, double std, int n, double ciLow, double ciHigh) {

    /** The confidence level of the interval. */
    public static final double LEVEL = 0.95;

    /** @param gains one gain per paired seed, at least one */
    public static PairedGain of(double[] gains) {
        int n = gains.length;
        if (n == 0) {
            throw new IllegalArgumentException("gains: needs at least one paired seed");
        }
        double sum = 0;
        for (double g : gains) {
            sum += g;
        }
        double mean = sum / n;
        if (n == 1) {
            return new PairedGain(mean, 0.0, 1, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double g : gains) {
            ss += (g - mean) * (g - mean);
        }
        double std = Math.sqrt(ss / (n - 1));
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        double half = t * std / Math.sqrt(n);
        return new PairedGain(mean, std, n, mean - half, mean + half);
    }

    public boolean hasInterval() {
        return n > 1;
    }

    /** @param tolerance the absolute band around zero within which a gain is no change, >= 0 */
    public TaskCall call(double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance: must be >= 0, got " + tolerance);
        }
        if (Double.isNaN(mean)) {
            return TaskCall.UNDEFINED; // some seed's metric was undefined: no gain to call, not "no change"
        }
        if (!hasInterval()) {
            return TaskCall.NO_CHANGE;
        }
        if (ciLow > tolerance) {
            return TaskCall.BETTER;
        }
        return ciHigh < -tolerance ? TaskCall.WORSE : TaskCall.NO_CHANGE;
    }
}
