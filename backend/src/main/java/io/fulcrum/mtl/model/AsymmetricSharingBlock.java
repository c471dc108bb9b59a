package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Asymmetric sharing: every task has its own bottom; the first task's bottom output is fed as extra
 * input into every other task's tower (concatenated), never the other way round.
 */
public final class AsymmetricSharingBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final ExpertBank bottoms;
    private final List<Tower> towers = new ArrayList<>();

    public AsymmetricSharingBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.bottoms = addChildBlock(
                "bottoms",
                new ExpertBank(tasks, encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
        long h = bottoms.outputWidth();
        for (int k = 0; k < tasks; k++) {
            towers.add(addChildBlock(
                    "tower_" + spec.tasks().get(k).name(),
                    new Tower(k == 0 ? h : 2 * h, spec.towerUnits(), spec.activation(), spec.dropout())));
        }
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray h = bottoms.apply(ps, x, training); // (K, B, h)
        NDArray source = h.get(0);
        NDList outputs = new NDList(tasks);
        outputs.add(towers.get(0).apply(ps, source, training));
        for (int k = 1; k < tasks; k++) {
            NDArray in = NDArrays.concat(new NDList(h.get(k), source), 1);
            outputs.add(towers.get(k).apply(ps, in, training));
        }
        return outputs;
    }
}
