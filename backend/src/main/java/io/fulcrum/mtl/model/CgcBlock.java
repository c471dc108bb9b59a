package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;

/** Customized Gate Control: one extraction level without a shared gate, then the towers. */
public final class CgcBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final ExtractionLevel level;
    private final List<Tower> towers;

    public CgcBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.level = addChildBlock("level1", new ExtractionLevel(1, spec, encoder.width(), false));
        this.towers = towers(level.outputWidth());
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        return applyTowers(ps, towers, level.apply(ps, x, x, training, trace).taskOutputs(), training);
    }
}
