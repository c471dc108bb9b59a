package io.fulcrum.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam whose moments and update count we own, so they can be saved at an epoch end and put back on
 * resume: DJL's {@code Adam} keeps them in private fields. Each update runs the engine's fused Adam
 * kernel, the very call DJL's {@code Adam} makes, with the same defaults (β1 0.9, β2 0.999, ε 1e-8, L2
 * weight decay added to the gradient, no rescaling or clipping), so a training gives the same floats as
 * before. Moments are keyed by the trainable's stable name and live in the weights' manager.
 */
final class AdamOptimizer implements AutoCloseable {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float weightDecay;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private int updates;

    AdamOptimizer(float learningRate, float weightDecay) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /**
     * One step: every weight gets its gradient's update (gradients in the weights' order) at the same
     * step count t. Like DJL's Adam, the kernel then zeroes each weight's gradient.
     */
    void update(Map<String, NDArray> weights, List<NDArray> gradients) {
        updates++;
        // DJL's bias correction, computed in double then rounded once, as DJL does
        double meanCorrection = 1.0 - Math.pow(BETA1, updates);
        double varianceCorrection = 1.0 - Math.pow(BETA2, updates);
        float corrected = (float) (learningRate * Math.sqrt(varianceCorrection) / meanCorrection);
        int i = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            NDArray w = e.getValue();
            NDArray m = means.computeIfAbsent(e.getKey(), n -> w.zerosLike());
            NDArray v = variances.computeIfAbsent(e.getKey(), n -> w.zerosLike());
            w.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(w, gradients.get(i++), m, v),
                            new NDList(w),
                            learningRate,
                            corrected,
                            weightDecay,
                            1f,
                            -1f,
                            BETA1,
                            BETA2,
                            EPSILON,
                            true,
                            false);
        }
    }

    /** A host copy of the moments and the update count. */
    TrainingState.OptimizerState state() {
        Map<String, float[]> m = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        means.forEach((name, a) -> m.put(name, a.toFloatArray()));
        variances.forEach((name, a) -> v.put(name, a.toFloatArray()));
        return new TrainingState.OptimizerState(updates, m, v);
    }

    /** Puts back a saved state; {@code weights} by name gives each moment its shape and manager. */
    void restore(TrainingState.OptimizerState state, Map<String, NDArray> weights) {
        if (state.updates() > 0
                && (!state.means().keySet().equals(weights.keySet())
                        || !state.variances().keySet().equals(weights.keySet()))) {
            throw new IllegalArgumentException("optimizer: the saved moments are for "
                    + state.means().keySet() + " but the model trains " + weights.keySet());
        }
        close();
        updates = state.updates();
        put(state.means(), weights, means);
        put(state.variances(), weights, variances);
    }

    private static void put(Map<String, float[]> saved, Map<String, NDArray> weights, Map<String, NDArray> into) {
        saved.forEach((name, values) -> {
            NDArray w = weights.get(name);
            if (w == null || w.size() != values.length) {
                throw new IllegalArgumentException("optimizer: moment " + name + " has " + values.length
                        + " values, the weight " + (w == null ? "does not exist" : "has " + w.size()));
            }
            into.put(name, w.getManager().create(values, w.getShape()));
        });
    }

    /** Frees the moments (the weights stay). */
    @Override
    public void close() {
        means.values().forEach(NDArray::close);
        variances.values().forEach(NDArray::close);
        means.clear();
        variances.clear();
    }
}
