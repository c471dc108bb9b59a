package io.fulcrum.rollout;

/**
 * Sample size and minimum detectable effect of a relative lift, two-sided at level alpha, under the
 * normal approximation the results use: the standard error of the lift is √2 · CV / √n for n users
 * per variant, CV = σ / μ of the control (the variance of the difference evaluated at no change, as
 * in {@link RelativeLift}). So
 *
 * <pre>
 *   n per variant = 2 CV² (z₁₋α/₂ + z_power)² / r²,      MDE = (z₁₋α/₂ + z_power) · CV · √(2 / n).
 * </pre>
 *
 * For ratio metrics σ is the delta-method standard deviation of the ratio per user (√(n Var R̂)). A
 * sequential analysis replaces z₁₋α/₂ by its interval's width factor at the planned size, which is
 * what {@link #sequentialMde} does.
 */
public final class PowerPlanning {

    private PowerPlanning() {}

    /** z₁₋α/₂ + z_power. */
    static double zSum(double alpha, double power) {
        return RelativeLift.z(1 - alpha) + RelativeLift.z(2 * power - 1);
    }

    /** Users per variant to detect relative lift {@code lift}, rounded up. */
    public static long usersPerVariant(double cv, double lift, double alpha, double power) {
        double z = zSum(alpha, power);
        return (long) Math.ceil(2 * cv * cv * z * z / (lift * lift));
    }

    /** The smallest relative lift detected with {@code power} at {@code usersPerVariant}. */
    public static double mde(double cv, long usersPerVariant, double alpha, double power) {
        return zSum(alpha, power) * cv * Math.sqrt(2.0 / usersPerVariant);
    }

    /**
     * The same with always-valid intervals planned for this size: the sequential width factor at
     * N = N* = 2 · usersPerVariant instead of z₁₋α/₂ (an approximation: it ignores the chance of
     * stopping early).
     */
    public static double sequentialMde(double cv, long usersPerVariant, double alpha, double power) {
        long n = 2 * usersPerVariant;
        double factor = SequentialTest.widthFactor(n, alpha, SequentialTest.rhoSquared(n, alpha));
        return (factor + RelativeLift.z(2 * power - 1)) * cv * Math.sqrt(2.0 / usersPerVariant);
    }
}
