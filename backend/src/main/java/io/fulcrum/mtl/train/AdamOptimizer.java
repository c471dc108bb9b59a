package io.fulcrum.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam whose moments and update count we own, so they can be saved at an epoch end and put back on
 * resume: DJL's {@code Adam} keeps them in private fields. Each update runs the engine's fused Adam
 * kernel, the very call DJL's {@code Adam} makes, with the same defaults (β1 0.9, β2 0.999, ε 1e-8, L2
 * weight decay added to the gradient, no rescaling or clipping), so a training gives the same floats as
 * before.
 *
 * <p>The kernel runs once over all weights laid end to end, not once per weight: its dozen engine
 * operations per call, times every weight of a model, were about 40 % of a PLE step's engine calls. The
 * moments live flat in the weights' manager, in the weights' order; each weight's part is keyed by the
 * trainable's stable name when saved. Every operation of the kernel is elementwise, so the flat update
 * gives each weight the same floats as its own call would (tested against DJL's Adam).
 */
final class AdamOptimizer implements AutoCloseable {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float weightDecay;
    // each trainable's values in the flat moments, in the order of the weights given to update
    private final Map<String, Long> sizes = new LinkedHashMap<>();
    private NDArray means;
    private NDArray variances;
    private int updates;

    AdamOptimizer(float learningRate, float weightDecay) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /**
     * One step: every weight gets its gradient's update (gradients in the weights' order) at the same
     * step count t. Like DJL's Adam, it then zeroes each weight's gradient.
     */
    void update(Map<String, NDArray> weights, List<NDArray> gradients) {
        if (means == null) {
            layOut(weights);
        }
        updates++;
        // DJL's bias correction, computed in double then rounded once, as DJL does
        double meanCorrection = 1.0 - Math.pow(BETA1, updates);
        double varianceCorrection = 1.0 - Math.pow(BETA2, updates);
        float corrected = (float) (learningRate * Math.sqrt(varianceCorrection) / meanCorrection);
        // The whole update runs with autograd off. Grad mode is per thread, and it is on in a thread the
        // engine was not loaded on (a worker's): there the flattening below would record a graph, the
        // concatenated weights would be no leaf, and the kernel would read their gradient (PyTorch's
        // "not a leaf Tensor" warning, once per step).
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = gradients.get(0).getManager().newSubManager()) {
            NDList flatWeights = new NDList(weights.size());
            NDList flatGradients = new NDList(weights.size());
            int i = 0;
            for (NDArray w : weights.values()) {
                w.tempAttach(scope); // so that what is made from it closes with the scope
                NDArray g = gradients.get(i++);
                g.tempAttach(scope);
                flatWeights.add(w.reshape(-1));
                flatGradients.add(g.reshape(-1));
            }
            NDArray w = NDArrays.concat(flatWeights, 0);
            NDArray g = NDArrays.concat(flatGradients, 0);
            w.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(w, g, means, variances),
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
            NDList updated = w.split(offsets(), 0);
            i = 0;
            for (NDArray weight : weights.values()) {
                weight.set(ALL, updated.get(i).reshape(weight.getShape()));
                NDArray gradient = gradients.get(i++);
                gradient.subi(gradient);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static final NDIndex ALL = new NDIndex(":");

    /** Zero moments for the weights, laid end to end in their order. */
    private void layOut(Map<String, NDArray> weights) {
        long total = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            sizes.put(e.getKey(), e.getValue().size());
            total += e.getValue().size();
        }
        NDManager manager = weights.values().iterator().next().getManager();
        means = manager.zeros(new Shape(total));
        variances = manager.zeros(new Shape(total));
    }

    /** Where each weight after the first starts in the flat arrays. */
    private long[] offsets() {
        long[] offsets = new long[sizes.size() - 1];
        long at = 0;
        int i = 0;
        for (long size : sizes.values()) {
            if (i < offsets.length) {
                at += size;
                offsets[i++] = at;
            }
        }
        return offsets;
    }

    /** A host copy of the moments, per trainable, and the update count. */
    TrainingState.OptimizerState state() {
        return new TrainingState.OptimizerState(updates, perTrainable(means), perTrainable(variances));
    }

    private Map<String, float[]> perTrainable(NDArray flat) {
        Map<String, float[]> parts = new LinkedHashMap<>();
        if (flat == null) {
            return parts;
        }
        float[] all = flat.toFloatArray();
        int at = 0;
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            int size = Math.toIntExact(e.getValue());
            parts.put(e.getKey(), Arrays.copyOfRange(all, at, at + size));
            at += size;
        }
        return parts;
    }

    /** Puts back a saved state; {@code weights} gives the order, sizes and manager of the moments. */
    void restore(TrainingState.OptimizerState state, Map<String, NDArray> weights) {
        if (state.updates() > 0
                && (!state.means().keySet().equals(weights.keySet())
                        || !state.variances().keySet().equals(weights.keySet()))) {
            throw new IllegalArgumentException("optimizer: the saved moments are for "
                    + state.means().keySet() + " but the model trains " + weights.keySet());
        }
        close();
        updates = state.updates();
        if (state.means().isEmpty()) {
            return; // saved before any update: the first update lays the moments out
        }
        layOut(weights);
        means.set(flat(state.means(), weights));
        variances.set(flat(state.variances(), weights));
    }

    private float[] flat(Map<String, float[]> saved, Map<String, NDArray> weights) {
        float[] all = new float[Math.toIntExact(means.size())];
        int at = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            float[] values = saved.get(e.getKey());
            if (values.length != e.getValue().size()) {
                throw new IllegalArgumentException("optimizer: moment " + e.getKey() + " has " + values.length
                        + " values, the weight has " + e.getValue().size());
            }
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        return all;
    }

    /** Frees the moments (the weights stay). */
    @Override
    public void close() {
        if (means != null) {
            means.close();
            variances.close();
        }
        means = null;
        variances = null;
        sizes.clear();
    }
}
