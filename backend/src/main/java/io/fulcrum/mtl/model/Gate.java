package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * G softmax gates of {@code experts} weights each, stacked like the experts: weights (G, in, n), one
 * batched product for all gates. The selector is (B, in), read by every gate, or (G, B, in), one per
 * gate; the result (G, B, n) sums to 1 over n. The paper's gates have no bias.
 */
public final class Gate extends SizedBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final int experts;
    private final Parameter weight;
    private final Parameter bias;

    public Gate(int groups, long in, int experts, boolean withBias) {
        super(VERSION);
        this.groups = groups;
        this.experts = experts;
        this.weight = weight("weight", new Shape(groups, in, experts), in, experts);
        this.bias = withBias ? bias("bias", new Shape(groups, 1, experts)) : null;
    }

    public NDArray apply(ParameterStore ps, NDArray selector, boolean training) {
        NDArray s = selector.getShape().dimension() == 2 ? selector.expandDims(0) : selector;
        NDArray logits = s.matMul(ps.getValue(weight, selector.getDevice(), training));
        if (bias != null) {
            logits = logits.add(ps.getValue(bias, selector.getDevice(), training));
        }
        return logits.softmax(-1);
    }

    /** Every gate mixes the same experts: gates (G, B, n), experts (n, B, out) → (G, B, out). */
    public static NDArray mixShared(NDArray gates, NDArray experts) {
        return mixSharedBatchMajor(gates, experts.transpose(1, 0, 2));
    }

    /** As {@link #mixShared} with the experts laid out (B, n, out), as {@link ExpertBank#applySideBySide} gives them. */
    public static NDArray mixSharedBatchMajor(NDArray gates, NDArray experts) {
        return gates.transpose(1, 0, 2).matMul(experts).transpose(1, 0, 2);
    }

    public int groups() {
        return groups;
    }

    public int experts() {
        return experts;
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
        return new Shape[] {new Shape(groups, batch, experts)};
    }
}
