package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Common shape of every architecture: from the raw inputs ([dense (B, nd)] and/or [categorical indices
 * (B, nc)]) to one output (B) per task. {@link #forwardWithGates} returns the gate weights of the same
 * pass.
 */
public abstract class MultiTaskBlock extends SizedBlock {

    protected final ModelSpec spec;
    protected final int tasks;

    protected MultiTaskBlock(byte version, ModelSpec spec) {
        super(version);
        this.spec = spec;
        this.tasks = spec.taskCount();
    }

    /**
     * Initializes every parameter from the engine's generator, seeded with {@code seed} first: the same
     * seed gives the same initial parameters.
     */
    public void initialize(NDManager manager, long seed, Shape... inputShapes) {
        manager.getEngine().setRandomSeed((int) seed);
        initialize(manager, DataType.FLOAT32, inputShapes);
    }

    /** Runs the architecture on the raw inputs; records gate weights into {@code trace} when it is not null. */
    protected abstract NDList forwardInputs(ParameterStore ps, NDList inputs, boolean training, GateTrace trace);

    public MtlForward forwardWithGates(ParameterStore ps, NDList inputs, boolean training) {
        GateTrace trace = new GateTrace();
        NDList outputs = forwardInputs(ps, inputs, training, trace);
        return new MtlForward(outputs, trace);
    }

    /**
     * Told before each training step's forward pass, with a seed for that step's random draws. Only a
     * block whose tasks must not share one stream of dropout draws needs it.
     */
    public void beginTrainingStep(long stepSeed) {}

    /**
     * What the joint loss reads for this pass's {@code outputs}, {@code labels} and {@code mask} (B, K):
     * by default each output on its own task's labels and sample space.
     */
    public LossInputs lossInputs(NDList outputs, NDArray labels, NDArray mask) {
        return new LossInputs(outputs, labels, mask, null);
    }

    /**
     * Whether the output of a task that follows another is already the probability of the whole
     * funnel up to that step (AITM's impression-level outputs) rather than the probability within the
     * sample space of the step before (every other architecture, ESMM's pCVR included).
     */
    public boolean predictsJointProbability() {
        return false;
    }

    /**
     * The names (as in {@code getParameters()}) of the parameters that more than one task's loss
     * trains, which gradient balancing combines: every parameter outside {@link #taskOwnedChildren()}.
     */
    public List<String> sharedParameterNames() {
        java.util.Set<String> owned = taskOwnedChildren();
        List<String> shared = new ArrayList<>();
        for (ai.djl.util.Pair<String, ai.djl.nn.Block> child : getChildren()) {
            // DJL names a child by a two-digit position and the name it was added under
            if (owned.contains(child.getKey().substring(2))) {
                continue;
            }
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p :
                    child.getValue().getParameters()) {
                shared.add(child.getKey() + "_" + p.getKey());
            }
        }
        return shared;
    }

    /** The top-level children that one task's loss alone trains: by default each task's tower. */
    protected java.util.Set<String> taskOwnedChildren() {
        java.util.Set<String> owned = new java.util.HashSet<>();
        for (String name : spec.taskNames()) {
            owned.add("tower_" + name);
        }
        return owned;
    }

    /**
     * The parameter names (as in {@code getParameters()}) that each task owns alone, in task order, or
     * an empty list when the tasks share parameters; the trainer then clips, stops and keeps each
     * task's part on its own.
     */
    public List<List<String>> taskParameterNames() {
        return List.of();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forwardInputs(ps, inputs, training, null);
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
}
