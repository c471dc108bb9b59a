package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** GradNorm, PCGrad and CAGrad against the methods brief's two-task examples (§6-8), and beyond two tasks. */
class BalancingRulesTests {

    private static final Offset<Double> CLOSE = Offset.offset(1e-4);

    private static double[][] gram(double[][] g) {
        double[][] m = new double[g.length][g.length];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                m[i][j] = dot(g[i], g[j]);
            }
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] combine(double[] a, double[][] g) {
        double[] d = new double[g[0].length];
        for (int i = 0; i < g.length; i++) {
            for (int p = 0; p < d.length; p++) {
                d[p] += a[i] * g[i][p];
            }
        }
        return d;
    }

    @Test
    void pcgradProjectsTheBriefsConflictingPair() {
        double[][] g = {{1, 0}, {-1, 1}};
        double[] d = combine(BalancingRules.pcgrad(gram(g), new Random(1)), g);
        assertThat(d).containsExactly(new double[] {0.5, 1.5}, CLOSE);
    }

    @Test
    void pcgradInCoefficientsEqualsTheProjectionWrittenOutOnVectors() {
        Random data = new Random(7);
        double[][] g = new double[4][6];
        for (double[] row : g) {
            for (int p = 0; p < row.length; p++) {
                row[p] = data.nextGaussian();
            }
        }
        double[] fused = combine(BalancingRules.pcgrad(gram(g), new Random(42)), g);
        // the brief's loop on the vectors themselves, drawing the same orders from the same generator
        Random order = new Random(42);
        double[] expected = new double[6];
        for (int i = 0; i < g.length; i++) {
            double[] pc = g[i].clone();
            List<Integer> others = new ArrayList<>();
            for (int j = 0; j < g.length; j++) {
                if (j != i) {
                    others.add(j);
                }
            }
            Collections.shuffle(others, order);
            for (int j : others) {
                double d = dot(pc, g[j]);
                if (d < 0) {
                    double scale = d / dot(g[j], g[j]);
                    for (int p = 0; p < pc.length; p++) {
                        pc[p] -= scale * g[j][p];
                    }
                }
            }
            for (int p = 0; p < pc.length; p++) {
                expected[p] += pc[p];
            }
        }
        assertThat(fused).containsExactly(expected, Offset.offset(1e-9));
    }

    @Test
    void cagradTakesTheBriefsEdgeSolution() {
        double[][] g = {{1, 0}, {-1, 1}};
        double[] a = BalancingRules.cagrad(gram(g), 0.5);
        double[] d = combine(a, g);
        assertThat(d).containsExactly(new double[] {0.2, 0.4}, CLOSE);
        // both tasks improve along d, where the plain mean left task 1 at zero
        assertThat(dot(d, g[0])).isPositive();
        assertThat(dot(d, g[1])).isPositive();
        assertThat(combine(BalancingRules.cagrad(gram(g), 0), g)).containsExactly(new double[] {0, 0.5}, CLOSE);
    }

    @Test
    void cagradsSimplexSolverFindsTheGridMinimumForThreeTasks() {
        Random data = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            double[][] g = new double[3][5];
            for (double[] row : g) {
                for (int p = 0; p < row.length; p++) {
                    row[p] = data.nextGaussian();
                }
            }
            double[][] gram = gram(g);
            double[] b = new double[3];
            for (int i = 0; i < 3; i++) {
                b[i] = (gram[i][0] + gram[i][1] + gram[i][2]) / 3;
            }
            double r = 0.5 * Math.sqrt(BalancingRules.quadratic(gram, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}));
            double[] w = BalancingRules.simplexMinimum(gram, b, r);
            double best = Double.MAX_VALUE;
            int steps = 400;
            for (int i = 0; i <= steps; i++) {
                for (int j = 0; i + j <= steps; j++) {
                    best = Math.min(best, f(gram, b, r, new double[] {
                        i / (double) steps, j / (double) steps, (steps - i - j) / (double) steps
                    }));
                }
            }
            assertThat(w[0] + w[1] + w[2]).isCloseTo(1, Offset.offset(1e-9));
            for (double x : w) {
                assertThat(x).isGreaterThanOrEqualTo(0);
            }
            assertThat(f(gram, b, r, w)).as("trial %d", trial).isLessThanOrEqualTo(best + 1e-6);
        }
    }

    private static double f(double[][] gram, double[] b, double r, double[] w) {
        return dot(w, b) + r * Math.sqrt(Math.max(BalancingRules.quadratic(gram, w), 0));
    }

    @Test
    void projectionOntoTheSimplex() {
        assertThat(BalancingRules.projectToSimplex(new double[] {0.2, 0.3, 0.5}))
                .containsExactly(new double[] {0.2, 0.3, 0.5}, Offset.offset(1e-12));
        assertThat(BalancingRules.projectToSimplex(new double[] {2, 0, -1}))
                .containsExactly(new double[] {1, 0, 0}, Offset.offset(1e-12));
        assertThat(BalancingRules.projectToSimplex(new double[] {1, 1}))
                .containsExactly(new double[] {0.5, 0.5}, Offset.offset(1e-12));
    }

    @Test
    void gradNormStepsTheBriefsWeights() {
        // w = (1, 1), ‖∇L‖ = (2, 1), L(0) = (1, 1), L(t) = (0.5, 0.8), α = 1.5, SGD 0.025
        GradNormWeights weights = new GradNormWeights(2, 1.5, 0.025, new double[] {1, 1});
        weights.update(new float[] {0.5f, 0.8f}, new double[][] {{4, 0}, {0, 1}});
        assertThat(weights.weights()).containsExactly(new double[] {0.9620, 1.0380}, CLOSE);
    }
}
