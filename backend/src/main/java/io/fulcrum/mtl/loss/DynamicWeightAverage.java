package io.fulcrum.mtl.loss;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dynamic Weight Average (Liu et al., CVPR 2019): ω_k(t) = K·exp(r_k/T) / Σ_i exp(r_i/T) with
 * r_k = L_k(t−1) / L_k(t−2), the ratio of the task's last two epoch-mean losses; 1 for the first two
 * epochs. A task whose loss falls slower gets more weight.
 */
public final class DynamicWeightAverage implements LossWeightSchedule {

    private final int tasks;
    private final double temperature;
    private double[] previous;
    private double[] beforePrevious;

    public DynamicWeightAverage(int tasks, double temperature) {
        this.tasks = tasks;
        this.temperature = temperature;
    }

    @Override
    public float[] weights(TrainingClock clock) {
        float[] w = new float[tasks];
        if (previous == null || beforePrevious == null) {
            java.util.Arrays.fill(w, 1f);
            return w;
        }
        double[] e = new double[tasks];
        double sum = 0;
        for (int k = 0; k < tasks; k++) {
            double ratio = beforePrevious[k] > 0 ? previous[k] / beforePrevious[k] : 1.0;
            e[k] = Math.exp(ratio / temperature);
            sum += e[k];
        }
        for (int k = 0; k < tasks; k++) {
            w[k] = (float) (tasks * e[k] / sum);
        }
        return w;
    }

    @Override
    public void endEpoch(double[] meanTaskLosses) {
        beforePrevious = previous;
        previous = meanTaskLosses.clone();
    }

    /** The last two epochs' mean losses, those seen so far (none before the first epoch ends). */
    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> state = new LinkedHashMap<>();
        if (previous != null) {
            state.put("previous", previous.clone());
        }
        if (beforePrevious != null) {
            state.put("beforePrevious", beforePrevious.clone());
        }
        return state;
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
        previous = sized(state, "previous");
        beforePrevious = sized(state, "beforePrevious");
    }

    private double[] sized(Map<String, double[]> state, String key) {
        double[] values = state.get(key);
        if (values != null && values.length != tasks) {
            throw new IllegalArgumentException(
                    "lossWeights." + key + ": need one value per task (" + tasks + "), got " + values.length);
        }
        return values == null ? null : values.clone();
    }
}
