package io.fulcrum.rollout;

/**
 * CUPED (Deng, Xu, Kohavi, Walker, WSDM 2013): the part of each user's metric that their own
 * pre-exposure behaviour predicts is subtracted, with one coefficient θ estimated on the two compared
 * variants' users pooled. The covariates predate the exposure, so the treatment cannot move them: the
 * adjusted difference estimates the same effect with a variance smaller by the share the covariates
 * explain.
 *
 * <p>Per-user metrics regress on two covariates: the same metric in the pre-exposure window and an
 * indicator "has pre-exposure events", so users new to the surface stay in with a covariate of 0 and
 * their own intercept (θ = S_ZZ⁻¹ S_ZY). A covariate that does not vary in the pool is left out.
 *
 * <p>Ratio metrics (Σ numerator / Σ denominator per variant) are adjusted by the ratio of the same
 * sums in the pre-exposure window, R_cv = R − θ (R_pre − R̄_pre), each ratio linearised by the delta
 * method on the per-user vector (Y, N, X, M): ∇R = (1/N̄, −Ȳ/N̄², 0, 0), ∇R_pre = (0, 0, 1/M̄, −X̄/M̄²),
 * Var and Cov from ∇ᵀ Σ ∇ with Σ the covariance of the mean, θ = Σ_variants Cov(R, R_pre) / Σ_variants
 * Var(R_pre). Users without pre-exposure events add 0 to both pre-period sums and stay in.
 *
 * <p>Relative lifts divide by the control's adjusted value centred on the pooled covariate (never by
 * the uncentred Ȳ − θX̄), and use the standard error of the difference as {@link RelativeLift} does.
 */
public final class Cuped {

    /** Below this share of the pooled variance a covariate counts as constant. */
    private static final double CONSTANT = 1e-12;

    private Cuped() {}

    /**
     * The adjusted comparison: control and treatment means after adjustment, each one's variance of
     * the mean, and the share of the difference's variance that the adjustment removed.
     */
    public record Adjusted(
            double control,
            double controlVariance,
            double treatment,
            double treatmentVariance,
            double varianceReduction) {

        public RelativeLift lift() {
            return RelativeLift.of(control, controlVariance, treatment, treatmentVariance);
        }
    }

    /**
     * A per-user metric at index {@code y} of both variants' moments, adjusted by the covariates at
     * {@code covariates}; null when no covariate varies (nothing to adjust by) or a variant has fewer
     * than two users.
     */
    public static Adjusted ofMeans(UserMoments control, UserMoments treatment, int y, int... covariates) {
        if (control.n() < 2 || treatment.n() < 2) {
            return null;
        }
        UserMoments pool = UserMoments.pool(control, treatment);
        int[] z = varying(pool, covariates);
        if (z.length == 0) {
            return null;
        }
        double[] theta = solve(pool, z, y);
        if (theta == null) {
            return null;
        }
        double c = adjustedMean(control, pool, y, z, theta);
        double t = adjustedMean(treatment, pool, y, z, theta);
        double varC = adjustedVariance(control, y, z, theta) / control.n();
        double varT = adjustedVariance(treatment, y, z, theta) / treatment.n();
        double before =
                control.moments(y).varianceOfMean() + treatment.moments(y).varianceOfMean();
        return new Adjusted(c, varC, t, varT, reduction(before, varC + varT));
    }

    /**
     * A ratio metric numerator / denominator adjusted by preNumerator / preDenominator; null when the
     * pre-exposure ratio does not vary or is undefined (no pre-exposure events at all).
     */
    public static Adjusted ofRatios(
            UserMoments control,
            UserMoments treatment,
            int numerator,
            int denominator,
            int preNumerator,
            int preDenominator) {
        if (control.n() < 2 || treatment.n() < 2) {
            return null;
        }
        int[] index = {numerator, denominator, preNumerator, preDenominator};
        double[][] c = ratioTerms(control, index);
        double[][] t = ratioTerms(treatment, index);
        if (c == null || t == null) {
            return null;
        }
        // c[0] = {R, R_pre}; c[1] = {Var R, Var R_pre, Cov(R, R_pre)}
        double varPre = c[1][1] + t[1][1];
        if (!(varPre > 0)) {
            return null;
        }
        double theta = (c[1][2] + t[1][2]) / varPre;
        UserMoments pool = UserMoments.pool(control, treatment);
        double pooledPre = pool.mean(preNumerator) / pool.mean(preDenominator);
        double adjustedC = c[0][0] - theta * (c[0][1] - pooledPre);
        double adjustedT = t[0][0] - theta * (t[0][1] - pooledPre);
        double varC = c[1][0] + theta * theta * c[1][1] - 2 * theta * c[1][2];
        double varT = t[1][0] + theta * theta * t[1][1] - 2 * theta * t[1][2];
        return new Adjusted(adjustedC, varC, adjustedT, varT, reduction(c[1][0] + t[1][0], varC + varT));
    }

    /** {{R, R_pre}, {Var R, Var R_pre, Cov(R, R_pre)}} of one variant, or null when a ratio is undefined. */
    private static double[][] ratioTerms(UserMoments m, int[] index) {
        double y = m.mean(index[0]);
        double nBar = m.mean(index[1]);
        double x = m.mean(index[2]);
        double mBar = m.mean(index[3]);
        if (!(nBar != 0 && mBar != 0) || !Double.isFinite(nBar) || !Double.isFinite(mBar)) {
            return null;
        }
        double[] gradR = {1 / nBar, -y / (nBar * nBar), 0, 0};
        double[] gradPre = {0, 0, 1 / mBar, -x / (mBar * mBar)};
        double varR = quadratic(m, index, gradR, gradR);
        double varPre = quadratic(m, index, gradPre, gradPre);
        double cov = quadratic(m, index, gradR, gradPre);
        return new double[][] {{y / nBar, x / mBar}, {varR, varPre, cov}};
    }

    /** aᵀ Σ b / n over the sub-vector {@code index}. */
    private static double quadratic(UserMoments m, int[] index, double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < index.length; i++) {
            for (int j = 0; j < index.length; j++) {
                if (a[i] != 0 && b[j] != 0) {
                    sum += a[i] * m.covariance(index[i], index[j]) * b[j];
                }
            }
        }
        return sum / m.n();
    }

    private static int[] varying(UserMoments pool, int[] covariates) {
        return java.util.Arrays.stream(covariates)
                .filter(i -> pool.covariance(i, i) > CONSTANT * Math.max(1, pool.mean(i) * pool.mean(i)))
                .toArray();
    }

    /**
     * θ = S_ZZ⁻¹ S_ZY on the pool, by Gauss–Jordan elimination with partial pivoting (one or two
     * covariates). When the covariates are collinear the first one alone is used.
     */
    private static double[] solve(UserMoments pool, int[] z, int y) {
        int k = z.length;
        double[][] a = new double[k][k + 1];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                a[i][j] = pool.covariance(z[i], z[j]);
            }
            a[i][k] = pool.covariance(z[i], y);
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            if (Math.abs(a[col][col]) <= CONSTANT * Math.abs(pool.covariance(z[col], z[col]))) {
                // collinear covariates (e.g. every user with pre-exposure events has the same value):
                // the first one alone carries the information
                return k == 1 ? null : padded(pool, z, y);
            }
            for (int r = 0; r < k; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c2 = col; c2 <= k; c2++) {
                        a[r][c2] -= f * a[col][c2];
                    }
                }
            }
        }
        double[] theta = new double[k];
        for (int i = 0; i < k; i++) {
            theta[i] = a[i][k] / a[i][i];
        }
        return theta;
    }

    /** θ with only the first covariate, the others' coefficients 0. */
    private static double[] padded(UserMoments pool, int[] z, int y) {
        double[] theta = new double[z.length];
        theta[0] = pool.covariance(z[0], y) / pool.covariance(z[0], z[0]);
        return theta;
    }

    private static double adjustedMean(UserMoments group, UserMoments pool, int y, int[] z, double[] theta) {
        double mean = group.mean(y);
        for (int i = 0; i < z.length; i++) {
            mean -= theta[i] * (group.mean(z[i]) - pool.mean(z[i]));
        }
        return mean;
    }

    /** s²_Y + θᵀ S_ZZ θ − 2 θᵀ S_ZY within the group. */
    private static double adjustedVariance(UserMoments group, int y, int[] z, double[] theta) {
        double v = group.covariance(y, y);
        for (int i = 0; i < z.length; i++) {
            v -= 2 * theta[i] * group.covariance(z[i], y);
            for (int j = 0; j < z.length; j++) {
                v += theta[i] * theta[j] * group.covariance(z[i], z[j]);
            }
        }
        return Math.max(0, v);
    }

    private static double reduction(double before, double after) {
        return before > 0 ? 1 - after / before : Double.NaN;
    }
}
