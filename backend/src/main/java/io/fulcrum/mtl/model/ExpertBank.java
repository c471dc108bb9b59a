package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * All experts of one level as stacked weights (E, in, out): one batched matrix product per layer
 * instead of E small ones. Input is either (B, in), read by every expert, or (E, B, in), one input per
 * expert; output is (E, B, out).
 */
public final class ExpertBank extends SizedBlock {

    private static final byte VERSION = 1;

    private final int experts;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> biases = new ArrayList<>();
    private final List<ExpertNorm> norms = new ArrayList<>();
    private final UnaryOperator<NDArray> activation;
    private final float dropout;
    private final long outputWidth;

    public ExpertBank(int experts, long in, List<Integer> units, String activation, double dropout) {
        this(experts, in, units, activation, dropout, false);
    }

    /**
     * @param normalized HoME's expert normalisation: every expert layer's output is batch-normalised per
     *     expert and unit, then goes through Swish in place of {@code activation}
     */
    public ExpertBank(
            int experts, long in, List<Integer> units, String activation, double dropout, boolean normalized) {
        super(VERSION);
        this.experts = experts;
        long width = in;
        for (int i = 0; i < units.size(); i++) {
            long out = units.get(i);
            weights.add(weight("weight" + i, new Shape(experts, width, out), width, out));
            biases.add(bias("bias" + i, new Shape(experts, 1, out)));
            if (normalized) {
                norms.add(new ExpertNorm(this, i, experts, out));
            }
            width = out;
        }
        this.outputWidth = width;
        this.activation = normalized ? ExpertNorm::swish : Activations.byName(activation);
        this.dropout = (float) dropout;
    }

    Parameter normParameter(String name, Shape shape, ai.djl.training.initializer.Initializer init, boolean trained) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(trained ? Parameter.Type.OTHER : Parameter.Type.RUNNING_MEAN)
                .optShape(shape)
                .optInitializer(init)
                .optRequiresGrad(trained)
                .build());
    }

    public NDArray apply(ParameterStore ps, NDArray input, boolean training) {
        // (B, in) becomes (1, B, in) and broadcasts against (E, in, out) in the same batched product
        return layersFrom(0, ps, input.getShape().dimension() == 2 ? input.expandDims(0) : input, training);
    }

    /** Layers {@code first}… of every expert on h (E or 1, B, width): one batched product per layer. */
    private NDArray layersFrom(int first, ParameterStore ps, NDArray h, boolean training) {
        for (int i = first; i < weights.size(); i++) {
            NDArray w = ps.getValue(weights.get(i), h.getDevice(), training);
            NDArray b = ps.getValue(biases.get(i), h.getDevice(), training);
            NDArray pre = h.matMul(w).add(b);
            h = layer(norms.isEmpty() ? pre : norms.get(i).stacked(ps, pre, training), training);
        }
        return h;
    }

    /** Task experts as (K, B, m_k, out), shared experts as (B, m_s, out): the layouts the gates mix in. */
    public record Grouped(NDArray own, NDArray shared) {}

    /**
     * The experts of a level above the first, stacked [task 1's m_k, …, task K's m_k, shared m_s]: a
     * task's experts read that task's input (K, B, in), the shared ones read {@code sharedInput} (B, in).
     *
     * <p>The first layer runs one matrix product per distinct input rather than a batched product over
     * per-expert copies of the inputs: a task's m_k experts side by side as (in, m_k · out), batched
     * over tasks, and the shared ones as (in, m_s · out). The stored (E, in, out) weights are re-laid
     * out for it, which copies the weights once per step instead of the batch once per expert, and the
     * results come out in the layout the gates mix in.
     */
    public Grouped applyGrouped(
            ParameterStore ps, NDArray taskInputs, NDArray sharedInput, int perTask, boolean training) {
        int tasks = (int) taskInputs.getShape().get(0);
        long batch = sharedInput.getShape().get(0);
        long ownCount = (long) tasks * perTask;
        long shared = experts - ownCount;
        if (!norms.isEmpty()) {
            // normalisation reads every expert's outputs in one layout: each expert gets its own input copy
            NDArray perExpert = NDArrays.concat(
                    new NDList(
                            taskInputs.repeat(0, perTask),
                            sharedInput.expandDims(0).repeat(0, shared)),
                    0);
            return splitStacked(layersFrom(0, ps, perExpert, training), tasks, perTask);
        }
        NDArray w = ps.getValue(weights.get(0), sharedInput.getDevice(), training);
        NDArray b = ps.getValue(biases.get(0), sharedInput.getDevice(), training);
        long out = w.getShape().get(2);
        NDList first = InferenceParameterStore.relaid(ps, this, "grouped", () -> {
            long in = w.getShape().get(1);
            // split, not two slices: a slice's gradient is a zero-filled copy of the whole weight
            NDList wParts = w.split(new long[] {ownCount}, 0);
            NDList bParts = b.split(new long[] {ownCount}, 0);
            NDArray ownWeights = wParts.get(0)
                    .reshape(tasks, perTask, in, out)
                    .transpose(0, 2, 1, 3)
                    .reshape(tasks, in, perTask * out);
            NDArray ownBias = bParts.get(0).reshape(tasks, 1, perTask * out);
            return new NDList(ownWeights, ownBias).addAll(sideBySide(wParts.get(1), bParts.get(1)));
        });
        NDArray own = layer(taskInputs.matMul(first.get(0)).add(first.get(1)), training)
                .reshape(tasks, batch, perTask, out);
        NDArray common =
                layer(linear(sharedInput, first.subNDList(2)), training).reshape(batch, shared, out);
        if (weights.size() == 1) {
            return new Grouped(own, common);
        }
        NDArray firstLayer = NDArrays.concat(
                new NDList(own.transpose(0, 2, 1, 3).reshape(ownCount, batch, out), common.transpose(1, 0, 2)), 0);
        return splitStacked(layersFrom(1, ps, firstLayer, training), tasks, perTask);
    }

    /**
     * Every expert on the same input x (B, in), as (B, E, out): with single-layer experts one matrix
     * product of x with all experts' weights side by side (in, E · out), bias fused; deeper experts take
     * the stacked path of {@link #apply} after that first layer.
     */
    public NDArray applySideBySide(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weights.get(0), x.getDevice(), training);
        NDArray b = ps.getValue(biases.get(0), x.getDevice(), training);
        long batch = x.getShape().get(0);
        NDArray pre = linear(x, InferenceParameterStore.relaid(ps, this, "sideBySide", () -> sideBySide(w, b)));
        NDArray h = layer(norms.isEmpty() ? pre : norms.get(0).sideBySide(ps, pre, training), training)
                .reshape(batch, experts, w.getShape().get(2));
        return weights.size() == 1
                ? h
                : layersFrom(1, ps, h.transpose(1, 0, 2), training).transpose(1, 0, 2);
    }

    /**
     * n experts' (n, in, out) weights and (n, 1, out) biases side by side, as one linear layer's (n · out,
     * in) weight and (n · out) bias: the weight is copied into that layout.
     */
    private static NDList sideBySide(NDArray w, NDArray b) {
        Shape s = w.getShape();
        long n = s.get(0);
        long in = s.get(1);
        long out = s.get(2);
        return new NDList(w.transpose(0, 2, 1).reshape(n * out, in), b.reshape(n * out));
    }

    /** x (B, in) through experts side by side: (B, n · out), bias fused in the product. */
    private static NDArray linear(NDArray x, NDList sideBySide) {
        return Linear.linear(x, sideBySide.get(0), sideBySide.get(1)).singletonOrThrow();
    }

    /** The grouped view of a stacked (E, B, out) result: no copy, only strides. */
    private static Grouped splitStacked(NDArray stacked, int tasks, int perTask) {
        Shape s = stacked.getShape();
        long ownCount = (long) tasks * perTask;
        NDList parts = stacked.split(new long[] {ownCount}, 0);
        NDArray own = parts.get(0).reshape(tasks, perTask, s.get(1), s.get(2)).transpose(0, 2, 1, 3);
        NDArray common = parts.get(1).transpose(1, 0, 2);
        return new Grouped(own, common);
    }

    private NDArray layer(NDArray preActivation, boolean training) {
        return Activations.dropout(activation.apply(preActivation), dropout, training);
    }

    public int experts() {
        return experts;
    }

    public long outputWidth() {
        return outputWidth;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long batch = in.dimension() == 2 ? in.get(0) : in.get(1);
        return new Shape[] {new Shape(experts, batch, outputWidth)};
    }
}
