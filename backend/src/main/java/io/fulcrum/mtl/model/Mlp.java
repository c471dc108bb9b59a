package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Hidden layers with activation and dropout after each: the bottoms of the sharing baselines. */
public final class Mlp extends SizedBlock {

    private static final byte VERSION = 1;

    private final List<Dense> layers = new ArrayList<>();
    private final UnaryOperator<NDArray> activation;
    private final float dropout;
    private final long outputWidth;

    public Mlp(long in, List<Integer> units, String activation, double dropout) {
        super(VERSION);
        long width = in;
        for (int i = 0; i < units.size(); i++) {
            layers.add(addChildBlock("layer" + i, new Dense(width, units.get(i), true)));
            width = units.get(i);
        }
        this.outputWidth = width;
        this.activation = Activations.byName(activation);
        this.dropout = (float) dropout;
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = x;
        for (Dense layer : layers) {
            h = Activations.dropout(activation.apply(layer.apply(ps, h, training)), dropout, training);
        }
        return h;
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
        return new Shape[] {new Shape(inputShapes[0].get(0), outputWidth)};
    }
}
