package io.fulcrum.rollout;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's t-test of the difference of two means with unequal variances: t = (m₁ − m₀) / √(v₁/n₁ +
 * v₀/n₀), degrees of freedom by Welch–Satterthwaite, two-sided p-value from Student's t. Every value
 * is NaN when a group has fewer than two users or both groups have no variance.
 *
 * @param t positive when the treatment's mean is higher
 */
public record WelchTest(double t, double degreesOfFreedom, double pValue) {

    public static WelchTest of(Moments control, Moments treatment) {
        double a = treatment.varianceOfMean();
        double b = control.varianceOfMean();
        double se2 = a + b;
        if (!(se2 > 0) || !Double.isFinite(se2) || treatment.n() < 2 || control.n() < 2) {
            return new WelchTest(Double.NaN, Double.NaN, Double.NaN);
        }
        double t = (treatment.mean() - control.mean()) / Math.sqrt(se2);
        double df = se2 * se2 / (a * a / (treatment.n() - 1) + b * b / (control.n() - 1));
        double p = 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
        return new WelchTest(t, df, Math.min(1, p));
    }
}
