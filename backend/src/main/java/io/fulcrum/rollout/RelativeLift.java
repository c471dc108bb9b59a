package io.fulcrum.rollout;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The treatment's metric relative to the control's, lift = T / C − 1 (0.05 is +5 %), with the
 * standard error of that ratio by the delta method: Var(T / C) ≈ Var(T) / C² + T² Var(C) / C⁴, the
 * two estimates being independent (disjoint users). Confidence intervals are normal: lift ± z·se.
 *
 * <p>A variant whose sample does not vary (no shares among its users yet, or a metric every user has
 * the same value of) estimates its own variance as 0, which would make the interval collapse onto the
 * observed lift: an A/A test read early showed a share rate of 0 against 1 share as −100 % [−100 %,
 * −100 %]. Such a variance is unknown, not zero, so the standard error is NaN and no interval (and no
 * guardrail verdict) is given until both variants vary.
 */
public record RelativeLift(double lift, double standardError) {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /** Lift of the treatment's per-user mean over the control's: Var ≈ vT/(nT mC²) + mT² vC/(nC mC⁴). */
    public static RelativeLift ofMeans(Moments control, Moments treatment) {
        return of(control.mean(), control.varianceOfMean(), treatment.mean(), treatment.varianceOfMean());
    }

    /** Lift of the treatment's ratio metric over the control's, each ratio's variance by the delta method. */
    public static RelativeLift ofRatios(RatioMoments control, RatioMoments treatment) {
        return of(control.ratio(), control.ratioVariance(), treatment.ratio(), treatment.ratioVariance());
    }

    static RelativeLift of(double c, double varC, double t, double varT) {
        double lift = t / c - 1;
        if (!(varC > 0) || !(varT > 0)) {
            return new RelativeLift(lift, Double.NaN);
        }
        double variance = varT / (c * c) + t * t * varC / (c * c * c * c);
        return new RelativeLift(lift, Math.sqrt(variance));
    }

    /** Lower end of the two-sided interval at {@code confidence} (0.95 for 95 %). */
    public double low(double confidence) {
        return lift - z(confidence) * standardError;
    }

    /** Upper end of the two-sided interval at {@code confidence}. */
    public double high(double confidence) {
        return lift + z(confidence) * standardError;
    }

    /** The two-sided normal quantile: 1.959963984540054 for 0.95. */
    public static double z(double confidence) {
        return NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    /** Standard normal distribution function Φ. */
    static double phi(double x) {
        return NORMAL.cumulativeProbability(x);
    }
}
