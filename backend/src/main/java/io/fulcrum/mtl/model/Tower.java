package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/** Task tower t_k: an MLP ending in one output unit (a logit or a value), returned as shape (B). */
public final class Tower extends SizedBlock {

    private static final byte VERSION = 1;

    private final Mlp hidden;
    private final Dense output;

    public Tower(long in, List<Integer> units, String activation, double dropout) {
        super(VERSION);
        this.hidden = addChildBlock("hidden", new Mlp(in, units, activation, dropout));
        this.output = addChildBlock("output", new Dense(hidden.outputWidth(), 1, true));
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = output.apply(ps, hidden.apply(ps, x, training), training);
        return y.reshape(y.getShape().get(0));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
