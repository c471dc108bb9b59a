package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One task's whole network in the single-task baseline: its own embedding tables, a bottom of
 * {@code bottomUnits} and its tower. Nothing in it is shared with another task.
 */
public final class TaskNetwork extends SizedBlock {

    private static final byte VERSION = 1;

    private final InputEncoder encoder;
    private final Mlp bottom;
    private final Tower tower;

    public TaskNetwork(ModelSpec spec) {
        super(VERSION);
        this.encoder = addChildBlock("input", new InputEncoder(spec.inputs()));
        this.bottom = addChildBlock(
                "bottom", new Mlp(encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
        this.tower = addChildBlock(
                "tower", new Tower(bottom.outputWidth(), spec.towerUnits(), spec.activation(), spec.dropout()));
    }

    /** The task's output (B) from the raw inputs. */
    public NDArray apply(ParameterStore ps, NDList inputs, boolean training) {
        return tower.apply(ps, bottom.apply(ps, encoder.encode(ps, inputs, training), training), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
