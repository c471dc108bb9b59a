package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;

/** Customized sharing: a shared bottom plus a bottom per task; tower k reads concat(shared, specific_k). */
public final class CustomizedSharingBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final Mlp shared;
    private final ExpertBank specific;
    private final List<Tower> towers;

    public CustomizedSharingBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.shared = addChildBlock(
                "sharedBottom", new Mlp(encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
        this.specific = addChildBlock(
                "taskBottoms",
                new ExpertBank(tasks, encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
        this.towers = towers(shared.outputWidth() + specific.outputWidth());
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray own = specific.apply(ps, x, training); // (K, B, h)
        NDArray common = shared.apply(ps, x, training);
        NDArray commonPerTask = common.expandDims(0)
                .broadcast(tasks, common.getShape().get(0), common.getShape().get(1));
        return applyTowers(ps, towers, NDArrays.concat(new NDList(commonPerTask, own), 2), training);
    }
}
