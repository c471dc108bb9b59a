package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The multi-task architectures: one input encoder (embedding tables) shared by every task encodes the
 * inputs into x, and the architecture's body runs on x.
 */
public abstract class SharedInputBlock extends MultiTaskBlock {

    protected final InputEncoder encoder;

    protected SharedInputBlock(byte version, ModelSpec spec) {
        super(version, spec);
        this.encoder = addChildBlock("input", new InputEncoder(spec.inputs()));
    }

    /** Runs the architecture on x (B, d); records gate weights into {@code trace} when it is not null. */
    protected abstract NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace);

    @Override
    protected final NDList forwardInputs(ParameterStore ps, NDList inputs, boolean training, GateTrace trace) {
        return forwardTasks(ps, encoder.encode(ps, inputs, training), training, trace);
    }

    /** Tower k reads row k of a stacked (K, B, h) array. */
    protected static NDList applyTowers(ParameterStore ps, List<Tower> towers, NDArray stacked, boolean training) {
        NDList outputs = new NDList(towers.size());
        // one split rather than a get(k) per task: the gradient of each get is a zero-filled copy of the
        // whole stack, the split's is one concatenation
        NDList perTask = stacked.split(towers.size(), 0);
        for (int k = 0; k < towers.size(); k++) {
            outputs.add(towers.get(k).apply(ps, perTask.get(k).squeeze(0), training));
        }
        return outputs;
    }
}
