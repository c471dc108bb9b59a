package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Entire Space Multi-task Model (Ma et al., SIGIR 2018; methods brief §1). The tasks share only the
 * embedding tables; each has its own bottom and tower, as in the single-task baseline. A task that
 * follows another (cvr after ctr) outputs its probability within that step's space (pCVR), but is
 * never trained on it: its loss is on the product pCTR·pCVR (pCTCVR) over the earlier step's whole
 * space, with the label click AND purchase, so no loss sees only the clicked samples.
 */
public final class EsmmBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final List<Mlp> bottoms = new ArrayList<>();
    private final List<Tower> towers = new ArrayList<>();
    private final int[] parents;

    public EsmmBlock(ModelSpec spec) {
        super(VERSION, spec);
        parents = new int[tasks];
        for (int k = 0; k < tasks; k++) {
            String name = spec.tasks().get(k).name();
            Mlp bottom = addChildBlock(
                    "bottom_" + name, new Mlp(encoder.width(), spec.bottomUnits(), spec.activation(), spec.dropout()));
            bottoms.add(bottom);
            towers.add(addChildBlock(
                    "tower_" + name,
                    new Tower(bottom.outputWidth(), spec.towerUnits(), spec.activation(), spec.dropout())));
            parents[k] = spec.parentIndex(k);
        }
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDList outputs = new NDList(tasks);
        for (int k = 0; k < tasks; k++) {
            outputs.add(towers.get(k).apply(ps, bottoms.get(k).apply(ps, x, training), training));
        }
        return outputs;
    }

    /**
     * A task's bottom and tower are its own unless another task follows it: pCTR·pCVR sends the CTCVR
     * loss's gradient through the CTR network too.
     */
    @Override
    protected java.util.Set<String> taskOwnedChildren() {
        java.util.Set<String> owned = new java.util.HashSet<>();
        for (int k = 0; k < tasks; k++) {
            boolean followed = false;
            for (int parent : parents) {
                followed |= parent == k;
            }
            if (!followed) {
                owned.add("bottom_" + spec.taskNames().get(k));
                owned.add("tower_" + spec.taskNames().get(k));
            }
        }
        return owned;
    }

    /** A following task's loss reads the logit of pCTR·pCVR, its label click AND purchase, and the earlier step's space. */
    @Override
    public LossInputs lossInputs(NDList outputs, NDArray labels, NDArray mask) {
        NDList y = Funnel.columns(labels, tasks);
        NDList m = Funnel.columns(mask, tasks);
        NDList z = new NDList(tasks);
        NDList jointLabels = new NDList(tasks);
        NDList spaces = new NDList(tasks);
        for (int k = 0; k < tasks; k++) {
            int parent = parents[k];
            if (parent < 0) {
                z.add(outputs.get(k));
                jointLabels.add(y.get(k));
                spaces.add(m.get(k));
            } else {
                z.add(Funnel.productLogit(outputs.get(parent), outputs.get(k)));
                jointLabels.add(Funnel.jointLabel(y.get(k), m.get(k)));
                spaces.add(m.get(parent));
            }
        }
        return new LossInputs(z, Funnel.join(jointLabels), Funnel.join(spaces), null);
    }
}
