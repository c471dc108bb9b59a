package io.fulcrum.rollout;

/**
 * Count, mean and sample variance (divisor n − 1) of one value per user: all that Welch's test and
 * the relative lift of two means need. The results query computes them in PostgreSQL ({@code
 * avg}, {@code var_samp}), so per-user rows never leave the database.
 *
 * @param variance NaN when fewer than two users
 */
public record Moments(long n, double mean, double variance) {

    /** Moments of per-user values (two passes, for accuracy). */
    public static Moments of(double... values) {
        int n = values.length;
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Moments(n, mean, n < 2 ? Double.NaN : squares / (n - 1));
    }

    /** Variance of the mean: s² / n. */
    public double varianceOfMean() {
        return variance / n;
    }
}
