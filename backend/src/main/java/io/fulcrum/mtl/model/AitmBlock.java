package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive Information Transfer Multi-task (Xi et al., KDD 2021; methods brief §2), following the
 * official code. Tasks are the steps of a funnel in order. Each task's tower q_t reads the shared
 * embedding; from the second step on, an attention over the two candidates [q_t ; p_{t−1}], where
 * p_{t−1} is the information the previous step passes on (a dense layer on its fused output z_{t−1}),
 * decides per sample how much of it to take. Every output is the probability of reaching that step
 * from the first step's space (click AND purchase per impression), and the loss adds the calibrator
 * α · mean Σ_t max(ŷ_t − ŷ_{t−1}, 0), which keeps a later step no likelier than the one before.
 */
public final class AitmBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final List<Mlp> towers = new ArrayList<>();
    private final List<Dense> information = new ArrayList<>();
    private final List<Dense> queries = new ArrayList<>();
    private final List<Dense> keys = new ArrayList<>();
    private final List<Dense> values = new ArrayList<>();
    private final List<Dense> outputs = new ArrayList<>();
    private final float dropout;
    private final float calibratorWeight;
    private final float scale;

    public AitmBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.dropout = spec.dropout().floatValue();
        this.calibratorWeight = (float) spec.calibratorWeightOrDefault();
        long width = 0;
        for (int t = 0; t < tasks; t++) {
            String name = spec.tasks().get(t).name();
            Mlp tower = addChildBlock(
                    "tower_" + name, new Mlp(encoder.width(), spec.towerUnits(), spec.activation(), spec.dropout()));
            towers.add(tower);
            width = tower.outputWidth();
            if (t > 0) {
                // the attention's three projections have no bias, as in the official code
                queries.add(addChildBlock("query_" + name, new Dense(width, width, false)));
                keys.add(addChildBlock("key_" + name, new Dense(width, width, false)));
                values.add(addChildBlock("value_" + name, new Dense(width, width, false)));
            }
            if (t < tasks - 1) {
                information.add(addChildBlock("information_" + name, new Dense(width, width, true)));
            }
            outputs.add(addChildBlock("output_" + name, new Dense(width, 1, true)));
        }
        this.scale = (float) (1.0 / Math.sqrt(width));
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDList logits = new NDList(tasks);
        NDArray previous = null;
        for (int t = 0; t < tasks; t++) {
            NDArray q = towers.get(t).apply(ps, x, training);
            NDArray z = t == 0 ? q : transfer(ps, t, q, passOn(ps, t - 1, previous, training), training);
            NDArray out = outputs.get(t).apply(ps, z, training);
            logits.add(out.reshape(out.getShape().get(0)));
            previous = z;
        }
        return logits;
    }

    /** p_t: what step t passes on to the next, from its fused output. */
    private NDArray passOn(ParameterStore ps, int t, NDArray z, boolean training) {
        return Activations.dropout(Activation.relu(information.get(t).apply(ps, z, training)), dropout, training);
    }

    /** The AIT module of step t: attention over [q_t ; p_{t−1}], softmax over the two, scores Q·K/√D. */
    NDArray transfer(ParameterStore ps, int t, NDArray q, NDArray passed, boolean training) {
        NDArray u = NDArrays.stack(new NDList(q, passed), 1); // (B, 2, D)
        NDArray queryOut = queries.get(t - 1).apply(ps, u, training);
        NDArray keyOut = keys.get(t - 1).apply(ps, u, training);
        NDArray valueOut = values.get(t - 1).apply(ps, u, training);
        NDArray attention = queryOut.mul(keyOut).sum(new int[] {2}).mul(scale).softmax(1); // (B, 2)
        return valueOut.mul(attention.expandDims(2)).sum(new int[] {1});
    }

    /**
     * Every step's loss over the first step's space, a later step's label being 1 only where every step
     * up to it happened; the penalty is the calibrator, averaged over that space's samples.
     */
    @Override
    public LossInputs lossInputs(NDList logits, NDArray labels, NDArray mask) {
        NDList y = Funnel.columns(labels, tasks);
        NDList m = Funnel.columns(mask, tasks);
        NDArray space = m.get(0);
        NDList jointLabels = new NDList(tasks);
        NDList spaces = new NDList(tasks);
        NDArray violations = null;
        for (int t = 0; t < tasks; t++) {
            jointLabels.add(t == 0 ? y.get(0) : Funnel.jointLabel(y.get(t), m.get(t)));
            spaces.add(space);
            if (t > 0) {
                NDArray excess = Activation.sigmoid(logits.get(t))
                        .sub(Activation.sigmoid(logits.get(t - 1)))
                        .maximum(0f);
                violations = violations == null ? excess : violations.add(excess);
            }
        }
        NDArray inSpace = space.reshape(-1).gt(0.5f).toType(DataType.FLOAT32, false);
        NDArray penalty =
                violations.mul(inSpace).sum().div(inSpace.sum().maximum(1f)).mul(calibratorWeight);
        return new LossInputs(logits, Funnel.join(jointLabels), Funnel.join(spaces), penalty);
    }

    /**
     * Each step's output layer is its own. Step t's tower and attention are reached by the losses of
     * steps t and later, what it passes on by the steps after it: only the last step owns them alone.
     */
    @Override
    protected java.util.Set<String> taskOwnedChildren() {
        java.util.Set<String> owned = new java.util.HashSet<>();
        for (String name : spec.taskNames()) {
            owned.add("output_" + name);
        }
        String last = spec.taskNames().get(tasks - 1);
        for (String part : List.of("tower_", "query_", "key_", "value_")) {
            owned.add(part + last);
        }
        owned.add("information_" + spec.taskNames().get(tasks - 2));
        return owned;
    }

    @Override
    public boolean predictsJointProbability() {
        return true;
    }
}
