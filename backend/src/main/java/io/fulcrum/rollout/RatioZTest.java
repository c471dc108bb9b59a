package io.fulcrum.rollout;

/**
 * Two-sided z-test of the difference of two ratio metrics, each ratio's variance by the delta method
 * on per-user sums: z = (R₁ − R₀) / √(Var R₁ + Var R₀). NaN when a variance is undefined or both are 0.
 */
public record RatioZTest(double z, double pValue) {

    public static RatioZTest of(RatioMoments control, RatioMoments treatment) {
        double variance = treatment.ratioVariance() + control.ratioVariance();
        if (!(variance > 0) || !Double.isFinite(variance)) {
            return new RatioZTest(Double.NaN, Double.NaN);
        }
        double z = (treatment.ratio() - control.ratio()) / Math.sqrt(variance);
        return new RatioZTest(z, 2 * RelativeLift.phi(-Math.abs(z)));
    }
}
