package io.fulcrum.mtl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;
import java.util.Map;

/**
 * Uncertainty weighting (Kendall et al., CVPR 2018) with learned log-variances s_k:
 * L = Σ_k c_k·exp(−s_k)·L_k + s_k/2, with c = 1/2 for regression (Gaussian likelihood) and 1 for
 * classification. The reported weight of task k is c_k·exp(−s_k).
 */
public final class UncertaintyWeighting implements LossWeightSchedule {

    private final NDArray logVariance;
    private final float[] factor;

    public UncertaintyWeighting(NDManager manager, List<TaskType> types, float initialLogVariance) {
        factor = new float[types.size()];
        for (int k = 0; k < factor.length; k++) {
            factor[k] = types.get(k) == TaskType.REGRESSION ? 0.5f : 1f;
        }
        float[] init = new float[factor.length];
        java.util.Arrays.fill(init, initialLogVariance);
        logVariance = manager.create(init);
        logVariance.setName("logVariance");
        logVariance.setRequiresGradient(true);
    }

    @Override
    public float[] weights(TrainingClock clock) {
        float[] s = logVariance.toFloatArray();
        float[] w = new float[s.length];
        for (int k = 0; k < s.length; k++) {
            w[k] = (float) (factor[k] * Math.exp(-s[k]));
        }
        return w;
    }

    @Override
    public NDArray combine(NDArray taskLosses, TrainingClock clock) {
        NDArray c = taskLosses.getManager().create(factor);
        // taskLosses first: results follow its (per-step) manager, not the long-lived logVariance's
        NDArray precision = taskLosses.zerosLike().sub(logVariance).exp();
        return taskLosses
                .mul(c)
                .mul(precision)
                .add(taskLosses.zerosLike().add(logVariance).mul(0.5f))
                .sum();
    }

    @Override
    public List<NDArray> trainableArrays() {
        return List.of(logVariance);
    }

    /** The learned log-variances (their Adam moments belong to the optimizer's state). */
    @Override
    public Map<String, double[]> state() {
        float[] s = logVariance.toFloatArray();
        double[] values = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            values[k] = s[k]; // float -> double -> float is exact
        }
        return Map.of("logVariance", values);
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
        double[] values = state.get("logVariance");
        if (values == null || values.length != factor.length) {
            throw new IllegalArgumentException(
                    "lossWeights.logVariance: need one value per task (" + factor.length + ")");
        }
        float[] s = new float[values.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = (float) values[k];
        }
        logVariance.set(s);
    }
}
