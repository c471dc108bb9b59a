package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Progressive Layered Extraction: N extraction levels. Task experts of level j read their task's fused
 * output of level j−1, shared experts read the shared one; the last level has no shared gate, so N = 1
 * is exactly CGC.
 */
public final class PleBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final List<ExtractionLevel> levels = new ArrayList<>();
    private final List<Tower> towers;

    public PleBlock(ModelSpec spec) {
        super(VERSION, spec);
        long in = encoder.width();
        int n = spec.levels();
        for (int j = 1; j <= n; j++) {
            ExtractionLevel level = addChildBlock("level" + j, new ExtractionLevel(j, spec, in, j < n));
            levels.add(level);
            in = level.outputWidth();
        }
        this.towers = towers(in);
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray taskInputs = x;
        NDArray sharedInput = x;
        for (ExtractionLevel level : levels) {
            ExtractionLevel.Output out = level.apply(ps, taskInputs, sharedInput, training, trace);
            taskInputs = out.taskOutputs();
            sharedInput = out.sharedOutput();
        }
        return applyTowers(ps, towers, taskInputs, training);
    }
}
