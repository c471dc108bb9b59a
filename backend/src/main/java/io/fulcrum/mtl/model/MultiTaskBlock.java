package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Common shape of every architecture: encode the inputs into x, run the architecture's body, return one
 * output (B) per task. {@link #forwardWithGates} returns the gate weights of the same pass.
 */
public abstract class MultiTaskBlock extends SizedBlock {

    protected final ModelSpec spec;
    protected final int tasks;
    protected final InputEncoder encoder;

    protected MultiTaskBlock(byte version, ModelSpec spec) {
        super(version);
        this.spec = spec;
        this.tasks = spec.taskCount();
        this.encoder = addChildBlock("input", new InputEncoder(spec.inputs()));
    }

    /** Runs the architecture on x (B, d); records gate weights into {@code trace} when it is not null. */
    protected abstract NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace);

    public MtlForward forwardWithGates(ParameterStore ps, NDList inputs, boolean training) {
        GateTrace trace = new GateTrace();
        NDList outputs = forwardTasks(ps, encoder.encode(ps, inputs, training), training, trace);
        return new MtlForward(outputs, trace);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forwardTasks(ps, encoder.encode(ps, inputs, training), training, null);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = new Shape[tasks];
        java.util.Arrays.fill(shapes, new Shape(inputShapes[0].get(0)));
        return shapes;
    }

    public ModelSpec spec() {
        return spec;
    }

    protected List<Tower> towers(long in) {
        List<Tower> towers = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            towers.add(addChildBlock(
                    "tower_" + spec.tasks().get(k).name(),
                    new Tower(in, spec.towerUnits(), spec.activation(), spec.dropout())));
        }
        return towers;
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
