package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The baseline for MTL gain: per task its own bottom (the width of one expert) and tower, nothing
 * shared. With K tasks the networks are independent, so joint training equals K separate trainings;
 * the bottoms are stacked only to run them in one product.
 */
public final class SingleTaskBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    private final ExpertBank bottoms;
    private final List<Tower> towers;

    public SingleTaskBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.bottoms = addChildBlock(
                "bottoms",
                new ExpertBank(tasks, encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
        this.towers = towers(bottoms.outputWidth());
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        return applyTowers(ps, towers, bottoms.apply(ps, x, training), training);
    }
}
