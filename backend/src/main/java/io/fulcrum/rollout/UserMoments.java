package io.fulcrum.rollout;

import java.util.Arrays;

/**
 * Count, means and sample covariance matrix (divisor n − 1) of a vector of values per user (a
 * variant's exposures, plays, watch seconds … and the same users' pre-exposure values): every
 * statistic of the results is a function of these, so per-user rows never have to leave the
 * database (PostgreSQL's {@code avg} and {@code covar_samp} compute them) or a simulation's memory.
 *
 * @param covariance row-major k × k; NaN entries when fewer than two users
 */
public record UserMoments(long n, double[] means, double[] covariance) {

    public UserMoments {
        if (covariance.length != means.length * means.length) {
            throw new IllegalArgumentException("a " + means.length + " × " + means.length + " covariance is needed");
        }
    }

    /** Number of values per user. */
    public int size() {
        return means.length;
    }

    public double mean(int i) {
        return means[i];
    }

    public double covariance(int i, int j) {
        return covariance[i * means.length + j];
    }

    /** The moments of one value. */
    public Moments moments(int i) {
        return new Moments(n, mean(i), covariance(i, i));
    }

    /** The ratio metric Σ numerator / Σ denominator. */
    public RatioMoments ratio(int numerator, int denominator) {
        return new RatioMoments(
                n,
                mean(numerator),
                mean(denominator),
                covariance(numerator, numerator),
                covariance(denominator, denominator),
                covariance(numerator, denominator));
    }

    /** No users: means NaN. */
    public static UserMoments empty(int size) {
        double[] means = new double[size];
        double[] covariance = new double[size * size];
        Arrays.fill(means, Double.NaN);
        Arrays.fill(covariance, Double.NaN);
        return new UserMoments(0, means, covariance);
    }

    /**
     * The moments of the two groups' users taken together: the total (not within-group) covariance,
     * Σ (n_g − 1) S_g + Σ n_g (μ_g − μ)(μ_g − μ)ᵀ over n − 1. CUPED's θ is estimated on this pool.
     */
    public static UserMoments pool(UserMoments a, UserMoments b) {
        if (a.n == 0) {
            return b;
        }
        if (b.n == 0) {
            return a;
        }
        int k = a.size();
        long n = a.n + b.n;
        double[] means = new double[k];
        for (int i = 0; i < k; i++) {
            means[i] = (a.n * a.means[i] + b.n * b.means[i]) / n;
        }
        double[] covariance = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double sum = 0;
                for (UserMoments g : new UserMoments[] {a, b}) {
                    double within = g.n < 2 ? 0 : (g.n - 1) * g.covariance(i, j);
                    sum += within + g.n * (g.means[i] - means[i]) * (g.means[j] - means[j]);
                }
                covariance[i * k + j] = n < 2 ? Double.NaN : sum / (n - 1);
            }
        }
        return new UserMoments(n, means, covariance);
    }

    /** Per-user vectors, row by row (two passes, for accuracy); a test and simulation helper. */
    public static UserMoments of(double[][] rows) {
        int k = rows.length == 0 ? 0 : rows[0].length;
        Accumulator acc = new Accumulator(k);
        for (double[] row : rows) {
            acc.add(row);
        }
        return acc.moments();
    }

    /**
     * Streaming moments (Welford's update of the co-moment matrix): a simulation adds users one by
     * one and reads the moments at every look without keeping the users.
     */
    public static final class Accumulator {
        private final int k;
        private long n;
        private final double[] means;
        private final double[] comoments;
        private final double[] delta;

        public Accumulator(int size) {
            this.k = size;
            this.means = new double[size];
            this.comoments = new double[size * size];
            this.delta = new double[size];
        }

        public void add(double[] values) {
            n++;
            for (int i = 0; i < k; i++) {
                delta[i] = values[i] - means[i];
                means[i] += delta[i] / n;
            }
            for (int i = 0; i < k; i++) {
                double after = values[i] - means[i];
                for (int j = 0; j < k; j++) {
                    comoments[i * k + j] += delta[j] * after;
                }
            }
        }

        public long n() {
            return n;
        }

        public UserMoments moments() {
            if (n == 0) {
                return empty(k);
            }
            double[] covariance = new double[k * k];
            for (int i = 0; i < covariance.length; i++) {
                covariance[i] = n < 2 ? Double.NaN : comoments[i] / (n - 1);
            }
            return new UserMoments(n, means.clone(), covariance);
        }
    }
}
