package io.fulcrum.rollout;

/**
 * Always-valid inference for a difference (here a relative lift) with a normal estimate: the mixture
 * sequential probability ratio test of Johari, Koomen, Pekelis and Walsh (KDD 2017), in the
 * asymptotic confidence-sequence form of Waudby-Smith et al. (arXiv 2103.06476, 2021) that GrowthBook
 * ships. With N users in the two compared variants, the estimate's standard error SE and the mixing
 * parameter ρ, the mixture likelihood ratio of "no difference" is
 *
 * <pre>
 *   Λ = exp( z² · Nρ² / (2 (Nρ² + 1)) ) / √(Nρ² + 1),   z = estimate / SE,
 * </pre>
 *
 * a non-negative martingale under the null, so by Ville's inequality it exceeds 1/α with probability
 * at most α however often it is looked at. Its inversion is the interval estimate ± SE · c with
 * {@code c = √( 2 (Nρ² + 1) / (Nρ²) · ln(√(Nρ² + 1) / α) )}; the always-valid p-value is min(1, 1/Λ).
 * ρ is chosen so the interval is narrowest at a planned size N*, by GrowthBook's closed form
 * ρ² = (−2 ln α + ln(1 − 2 ln α)) / N*. The price of peeking: at N = N* and α = 0.05 the interval is
 * 1.55 times as wide as the fixed-horizon one.
 */
public final class SequentialTest {

    /** GrowthBook's default planned size (users in both variants) when an experiment plans none. */
    public static final long DEFAULT_PLANNED_USERS = 5000;

    private SequentialTest() {}

    /** ρ² tuned to be tightest at {@code plannedUsers} users at level {@code alpha}. */
    public static double rhoSquared(long plannedUsers, double alpha) {
        double logAlpha = Math.log(alpha);
        return (-2 * logAlpha + Math.log(1 - 2 * logAlpha)) / plannedUsers;
    }

    /** The multiple of the standard error that makes the (1 − alpha) always-valid interval's half-width. */
    public static double widthFactor(long users, double alpha, double rhoSquared) {
        double nr = users * rhoSquared;
        return Math.sqrt(2 * (nr + 1) / nr * Math.log(Math.sqrt(nr + 1) / alpha));
    }

    /** min(1, 1/Λ) for the estimate's z = estimate / SE. */
    public static double pValue(double z, long users, double rhoSquared) {
        if (!Double.isFinite(z)) {
            return Double.NaN;
        }
        double nr = users * rhoSquared;
        double logLambda = z * z * nr / (2 * (nr + 1)) - 0.5 * Math.log(nr + 1);
        return Math.min(1, Math.exp(-logLambda));
    }
}
