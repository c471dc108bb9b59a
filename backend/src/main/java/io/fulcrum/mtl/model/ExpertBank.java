package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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
    private final UnaryOperator<NDArray> activation;
    private final float dropout;
    private final long outputWidth;

    public ExpertBank(int experts, long in, List<Integer> units, String activation, double dropout) {
        super(VERSION);
        this.experts = experts;
        long width = in;
        for (int i = 0; i < units.size(); i++) {
            long out = units.get(i);
            weights.add(weight("weight" + i, new Shape(experts, width, out), width, out));
            biases.add(bias("bias" + i, new Shape(experts, 1, out)));
            width = out;
        }
        this.outputWidth = width;
        this.activation = Activations.byName(activation);
        this.dropout = (float) dropout;
    }

    public NDArray apply(ParameterStore ps, NDArray input, boolean training) {
        // (B, in) becomes (1, B, in) and broadcasts against (E, in, out) in the same batched product
        NDArray h = input.getShape().dimension() == 2 ? input.expandDims(0) : input;
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = ps.getValue(weights.get(i), input.getDevice(), training);
            NDArray b = ps.getValue(biases.get(i), input.getDevice(), training);
            h = Activations.dropout(activation.apply(h.matMul(w).add(b)), dropout, training);
        }
        return h;
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
