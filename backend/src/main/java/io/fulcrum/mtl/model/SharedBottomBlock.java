package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;

/** Hard parameter sharing: one shared bottom MLP, one tower per task. */
public final class SharedBottomBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final Mlp bottom;
    private final List<Tower> towers;

    public SharedBottomBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.bottom = addChildBlock(
                "bottom", new Mlp(encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
        this.towers = towers(bottom.outputWidth());
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray h = bottom.apply(ps, x, training);
        NDList outputs = new NDList(tasks);
        for (Tower tower : towers) {
            outputs.add(tower.apply(ps, h, training));
        }
        return outputs;
    }
}
