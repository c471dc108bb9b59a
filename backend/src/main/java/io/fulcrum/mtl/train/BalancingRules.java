package io.fulcrum.mtl.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The balancing methods in the space of the tasks' gradients: each reads only their Gram matrix
 * G_ij = g_i·g_j (K × K) and returns coefficients a, the shared gradient being Σ_i a_i g_i. So the
 * per-task vectors of a million parameters are touched by two products, and every decision is a few
 * doubles here.
 */
final class BalancingRules {

    private BalancingRules() {}

    /**
     * PCGrad (Yu et al. 2020; brief §7): for each task i, in a fresh random order of the others j, when
     * the running projected g_i^PC points against the original g_j, remove its component along g_j;
     * then sum. g_i^PC is kept as its coefficients over the original gradients.
     */
    static double[] pcgrad(double[][] gram, Random random) {
        int k = gram.length;
        double[] sum = new double[k];
        for (int i = 0; i < k; i++) {
            double[] c = new double[k];
            c[i] = 1;
            List<Integer> others = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    others.add(j);
                }
            }
            Collections.shuffle(others, random);
            for (int j : others) {
                double dot = 0;
                for (int m = 0; m < k; m++) {
                    dot += c[m] * gram[m][j];
                }
                if (dot < 0 && gram[j][j] > 0) {
                    c[j] -= dot / gram[j][j];
                }
            }
            for (int m = 0; m < k; m++) {
                sum[m] += c[m];
            }
        }
        return sum;
    }

    /**
     * CAGrad (Liu et al. 2021; brief §8): w* = argmin over the simplex of g_wᵀg_0 + √φ‖g_w‖ with
     * g_0 the mean gradient, g_w = Σ w_i g_i and φ = c²‖g_0‖²; the direction g_0 + (√φ/‖g_w*‖) g_w*,
     * divided by 1 + c² as in the official code.
     */
    static double[] cagrad(double[][] gram, double c) {
        int k = gram.length;
        // b_i = g_i · g_0
        double[] b = new double[k];
        double meanNorm2 = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                b[i] += gram[i][j] / k;
                meanNorm2 += gram[i][j] / ((double) k * k);
            }
        }
        double radius = c * Math.sqrt(Math.max(meanNorm2, 0));
        double[] w = simplexMinimum(gram, b, radius);
        double gw = Math.sqrt(Math.max(quadratic(gram, w), 0));
        double lambda = gw > 0 ? radius / gw : 0;
        double[] a = new double[k];
        for (int i = 0; i < k; i++) {
            a[i] = (1.0 / k + lambda * w[i]) / (1 + c * c);
        }
        return a;
    }

    /** F(w) = wᵀb + r·√(wᵀGw), convex, minimised over the simplex by projected gradient with backtracking. */
    static double[] simplexMinimum(double[][] gram, double[] b, double r) {
        int k = b.length;
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        double value = objective(gram, b, r, w);
        // the optimum often lies on an edge or a vertex: start from the best of them too
        for (int v = 0; v < k; v++) {
            double[] vertex = new double[k];
            vertex[v] = 1;
            double f = objective(gram, b, r, vertex);
            if (f < value) {
                value = f;
                w = vertex;
            }
        }
        double step = 1;
        for (int iteration = 0; iteration < 500 && step > 1e-12; iteration++) {
            double[] grad = gradient(gram, b, r, w);
            while (step > 1e-12) {
                double[] next = new double[k];
                for (int i = 0; i < k; i++) {
                    next[i] = w[i] - step * grad[i];
                }
                next = projectToSimplex(next);
                double f = objective(gram, b, r, next);
                if (f < value - 1e-15) {
                    w = next;
                    value = f;
                    step *= 2;
                    break;
                }
                step /= 2;
            }
        }
        return w;
    }

    private static double objective(double[][] gram, double[] b, double r, double[] w) {
        double linear = 0;
        for (int i = 0; i < w.length; i++) {
            linear += w[i] * b[i];
        }
        return linear + r * Math.sqrt(Math.max(quadratic(gram, w), 0));
    }

    private static double[] gradient(double[][] gram, double[] b, double r, double[] w) {
        int k = w.length;
        double norm = Math.sqrt(Math.max(quadratic(gram, w), 0));
        double[] g = new double[k];
        for (int i = 0; i < k; i++) {
            double gw = 0;
            for (int j = 0; j < k; j++) {
                gw += gram[i][j] * w[j];
            }
            g[i] = b[i] + (norm > 0 ? r * gw / norm : 0);
        }
        return g;
    }

    static double quadratic(double[][] gram, double[] w) {
        double q = 0;
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                q += w[i] * gram[i][j] * w[j];
            }
        }
        return q;
    }

    /** Euclidean projection onto {w ≥ 0, Σ w = 1} (sort-and-threshold). */
    static double[] projectToSimplex(double[] v) {
        int k = v.length;
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        double cumulative = 0;
        double theta = 0;
        for (int i = k - 1; i >= 0; i--) {
            cumulative += sorted[i];
            double t = (cumulative - 1) / (k - i);
            if (i == 0 || sorted[i - 1] <= t) {
                theta = t;
                break;
            }
        }
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = Math.max(v[i] - theta, 0);
        }
        return w;
    }
}
