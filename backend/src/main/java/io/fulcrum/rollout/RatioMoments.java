package io.fulcrum.rollout;

/**
 * Per-user sums of a numerator and a denominator (clicks and exposures, say) summarised for a ratio
 * metric: the metric is Σ numerator / Σ denominator = mean numerator / mean denominator. Users are
 * the randomisation unit while events are not independent within a user, so the ratio's variance
 * comes from the per-user sums by the delta method (Deng, Knoblich, Lu: "Applying the Delta Method in
 * Metric Analytics", KDD 2018), not from treating events as independent trials.
 *
 * @param n users
 * @param varNumerator sample variance (n − 1) of the per-user numerators
 * @param covariance sample covariance (n − 1) of numerator and denominator per user
 */
public record RatioMoments(
        long n,
        double meanNumerator,
        double meanDenominator,
        double varNumerator,
        double varDenominator,
        double covariance) {

    /** From per-user numerators and denominators, index by index. */
    public static RatioMoments of(double[] numerators, double[] denominators) {
        if (numerators.length != denominators.length) {
            throw new IllegalArgumentException("one denominator per numerator");
        }
        Moments x = Moments.of(numerators);
        Moments y = Moments.of(denominators);
        int n = numerators.length;
        double products = 0;
        for (int i = 0; i < n; i++) {
            products += (numerators[i] - x.mean()) * (denominators[i] - y.mean());
        }
        return new RatioMoments(
                n, x.mean(), y.mean(), x.variance(), y.variance(), n < 2 ? Double.NaN : products / (n - 1));
    }

    /** The metric: mean numerator / mean denominator (NaN when the denominator is 0). */
    public double ratio() {
        return meanNumerator / meanDenominator;
    }

    /**
     * Var(X̄ / Ȳ) ≈ (σx² / μy² − 2 μx σxy / μy³ + μx² σy² / μy⁴) / n, the first-order Taylor expansion
     * of the ratio around the means.
     */
    public double ratioVariance() {
        double mx = meanNumerator;
        double my = meanDenominator;
        return (varNumerator / (my * my)
                        - 2 * mx * covariance / (my * my * my)
                        + mx * mx * varDenominator / (my * my * my * my))
                / n;
    }
}
