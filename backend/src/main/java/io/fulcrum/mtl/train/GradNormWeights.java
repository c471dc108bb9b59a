package io.fulcrum.mtl.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GradNorm's loss weights (Chen et al. 2018; brief §6), learned from the tasks' gradients on the shared
 * parameters. With G_i = ‖∇(w_i L_i)‖, the mean Ḡ, the loss ratios r_i = (L_i/L_i(0)) / mean_j, the
 * loss L_grad = Σ_i |G_i − Ḡ·r_i^α| (its target held constant) has ∂/∂w_i = sign(G_i − target_i)·G_i/w_i;
 * the weights take one SGD step on it, are kept positive and renormalised to sum to K. As LibMTL, G_i is
 * the norm over all shared parameters, not only the last shared layer.
 */
final class GradNormWeights {

    private static final double FLOOR = 1e-4;

    private final double alpha;
    private final double learningRate;
    private final double[] weights;
    // L_i(0): each task's first non-zero loss (a task absent from the first batches has none yet)
    private final double[] initial;

    GradNormWeights(int tasks, double alpha, double learningRate) {
        this.alpha = alpha;
        this.learningRate = learningRate;
        this.weights = new double[tasks];
        this.initial = new double[tasks];
        Arrays.fill(weights, 1.0);
    }

    /** As the constructor above, with the first losses L_i(0) already known. */
    GradNormWeights(int tasks, double alpha, double learningRate, double[] initialLosses) {
        this(tasks, alpha, learningRate);
        System.arraycopy(initialLosses, 0, initial, 0, tasks);
    }

    double[] weights() {
        return weights.clone();
    }

    /**
     * One update from this step's task losses and the Gram matrix of the weighted task gradients
     * (G_i² on its diagonal); the weights apply from the next step on.
     */
    void update(float[] losses, double[][] gram) {
        int k = weights.length;
        double[] norms = new double[k];
        double[] ratio = new double[k];
        double meanNorm = 0;
        double meanRatio = 0;
        for (int i = 0; i < k; i++) {
            if (initial[i] == 0 && losses[i] > 0) {
                initial[i] = losses[i];
            }
            norms[i] = Math.sqrt(Math.max(gram[i][i], 0));
            ratio[i] = initial[i] > 0 ? losses[i] / initial[i] : 1;
            meanNorm += norms[i] / k;
            meanRatio += ratio[i] / k;
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            double target = meanNorm * Math.pow(meanRatio > 0 ? ratio[i] / meanRatio : 1, alpha);
            double slope = weights[i] > 0 ? norms[i] / weights[i] : 0;
            double grad = Math.signum(norms[i] - target) * slope;
            weights[i] = Math.max(FLOOR, weights[i] - learningRate * grad);
            total += weights[i];
        }
        for (int i = 0; i < k; i++) {
            weights[i] *= k / total;
        }
    }

    Map<String, double[]> state() {
        Map<String, double[]> state = new LinkedHashMap<>();
        state.put("gradnorm.weights", weights.clone());
        state.put("gradnorm.initialLosses", initial.clone());
        return state;
    }

    void restore(Map<String, double[]> state) {
        double[] w = state.get("gradnorm.weights");
        double[] l = state.get("gradnorm.initialLosses");
        if (w == null || l == null || w.length != weights.length || l.length != initial.length) {
            throw new IllegalArgumentException("balancing: the checkpoint holds no GradNorm weights for "
                    + weights.length + " tasks, got " + state.keySet());
        }
        System.arraycopy(w, 0, weights, 0, w.length);
        System.arraycopy(l, 0, initial, 0, l.length);
    }
}
