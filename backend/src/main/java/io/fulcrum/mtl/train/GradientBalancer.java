package io.fulcrum.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.fulcrum.mtl.MtlModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A training step's backward pass under gradient balancing: one backward pass per task (the graph kept
 * between them), each task's gradient on the shared parameters read off as one flat vector and
 * cleared, then the method's combination written back as the shared parameters' gradient. Parameters
 * that one task alone trains (its tower) accumulate their own task's gradient untouched.
 */
final class GradientBalancer {

    private final GradientBalancing spec;
    private final List<NDArray> shared = new ArrayList<>();
    private final long seed;
    private final GradNormWeights gradNorm;

    /** @param sharedNames the block's shared parameter names that the optimizer trains */
    GradientBalancer(GradientBalancing spec, MtlModel model, List<String> sharedNames, long seed) {
        this.spec = spec;
        this.seed = seed;
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (var p : model.namedParameters()) {
            byName.put(p.getKey(), p.getValue().getArray());
        }
        for (String name : sharedNames) {
            NDArray a = byName.get(name);
            if (a != null && a.hasGradient()) {
                shared.add(a);
            }
        }
        if (shared.isEmpty()) {
            throw new IllegalArgumentException(
                    "balancing: " + model.spec().architecture() + " has no parameter its tasks share");
        }
        int tasks = model.spec().taskCount();
        this.gradNorm =
                spec.method().equals("gradnorm") ? new GradNormWeights(tasks, spec.alpha(), spec.learningRate()) : null;
    }

    /** The weights the step's losses take: the schedule's, times GradNorm's learned weights where it is on. */
    float[] weights(float[] schedule) {
        if (gradNorm == null) {
            return schedule;
        }
        double[] learned = gradNorm.weights();
        float[] w = new float[schedule.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) (schedule[k] * learned[k]);
        }
        return w;
    }

    /**
     * Backward of Σ_k weights_k · L_k (+ penalty, which no method reweighs), the shared parameters'
     * gradient being the method's combination of the K weighted task gradients.
     *
     * @param losses the (K) unweighted task losses of the step
     */
    void backward(NDArray losses, float[] weights, NDArray penalty, long step) {
        int k = weights.length;
        NDManager manager = losses.getManager();
        NDArray penaltyGradient = null;
        if (penalty != null) {
            run(penalty, true);
            penaltyGradient = takeShared(manager);
        }
        NDList perTask = new NDList(k);
        for (int t = 0; t < k; t++) {
            run(losses.get(t).mul(weights[t]), t < k - 1);
            perTask.add(takeShared(manager));
        }
        NDArray g = NDArrays.stack(perTask); // (K, P)
        double[][] gram = gram(g.matMul(g.transpose()).toFloatArray(), k);
        double[] a = switch (spec.method()) {
            case "pcgrad" -> BalancingRules.pcgrad(gram, new Random(seed * 0x9E3779B97F4A7C15L + step));
            case "cagrad" -> BalancingRules.cagrad(gram, spec.c());
            default -> ones(k); // gradnorm: the network steps on Σ w_k L_k; only the weights learn
        };
        float[] coefficients = new float[k];
        for (int t = 0; t < k; t++) {
            coefficients[t] = (float) a[t];
        }
        NDArray combined =
                g.getManager().create(coefficients, new Shape(1, k)).matMul(g).reshape(-1);
        if (penaltyGradient != null) {
            combined = combined.add(penaltyGradient);
        }
        writeShared(combined, manager);
        if (gradNorm != null) {
            gradNorm.update(losses.toFloatArray(), gram);
        }
    }

    private static void run(NDArray target, boolean keepGraph) {
        JniUtils.backward((PtNDArray) target, (PtNDArray) target.onesLike(), keepGraph, false);
    }

    /** The shared parameters' accumulated gradient as one flat vector, then cleared for the next pass. */
    private NDArray takeShared(NDManager manager) {
        NDList parts = new NDList(shared.size());
        for (NDArray a : shared) {
            parts.add(gradientOf(a, manager).reshape(-1));
        }
        NDArray flat = NDArrays.concat(parts); // a copy: the gradients are cleared below
        for (NDArray a : shared) {
            JniUtils.zeroGrad((PtNDArray) a);
        }
        return flat;
    }

    /** The array's gradient, its handle owned by the step's manager so that it closes with the step. */
    private static NDArray gradientOf(NDArray a, NDManager manager) {
        NDArray g = a.getGradient();
        g.attach(manager);
        return g;
    }

    private void writeShared(NDArray flat, NDManager manager) {
        long[] sizes = new long[shared.size() - 1];
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            offset += shared.get(i).size();
            sizes[i] = offset;
        }
        NDList parts = sizes.length == 0 ? new NDList(flat) : flat.split(sizes);
        for (int i = 0; i < shared.size(); i++) {
            NDArray gradient = gradientOf(shared.get(i), manager);
            gradient.muli(0).addi(parts.get(i).reshape(gradient.getShape()));
        }
    }

    private static double[][] gram(float[] values, int k) {
        double[][] gram = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                gram[i][j] = values[i * k + j];
            }
        }
        return gram;
    }

    private static double[] ones(int k) {
        double[] a = new double[k];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    Map<String, double[]> state() {
        return gradNorm == null ? Map.of() : gradNorm.state();
    }

    void restore(Map<String, double[]> state) {
        if (gradNorm != null) {
            gradNorm.restore(state);
        }
    }
}
