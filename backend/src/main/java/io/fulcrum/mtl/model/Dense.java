package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A fully connected layer y = x W + b with W stored (in, out). */
public final class Dense extends SizedBlock {

    private static final byte VERSION = 1;

    private final long in;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(long in, long out, boolean withBias) {
        super(VERSION);
        this.in = in;
        this.out = out;
        this.weight = weight("weight", new Shape(in, out), in, out);
        this.bias = withBias ? bias("bias", new Shape(out)) : null;
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = x.matMul(ps.getValue(weight, x.getDevice(), training));
        return bias == null ? y : y.add(ps.getValue(bias, x.getDevice(), training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    long inputWidth() {
        return in;
    }
}
