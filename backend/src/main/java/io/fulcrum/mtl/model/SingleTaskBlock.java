package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline for MTL gain: K single-task models side by side, sharing nothing. Each task has its own
 * {@link TaskNetwork} (embedding tables, bottom and tower), initialized from a seed of its own (the
 * model's seed mixed with the task's name) and, when training with dropout, drawing its dropout from a
 * stream of its own. So a task's network does not depend on which other tasks are in the model: the
 * trainer, which also clips and stops each task on its own, gives task a the same parameters in a
 * model of {a, b} as in a model of {a} alone.
 */
public final class SingleTaskBlock extends MultiTaskBlock {

    private static final byte VERSION = 2;

    private final List<TaskNetwork> networks = new ArrayList<>();
    private final List<String> childNames = new ArrayList<>();
    private long seed;
    private long stepSeed;

    public SingleTaskBlock(ModelSpec spec) {
        super(VERSION, spec);
        for (ModelSpec.TaskSpec task : spec.tasks()) {
            networks.add(addChildBlock("task_" + task.name(), new TaskNetwork(spec)));
            childNames.add(children.keys().get(children.size() - 1));
        }
    }

    @Override
    public void initialize(NDManager manager, long seed, Shape... inputShapes) {
        this.seed = seed;
        super.initialize(manager, seed, inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int k = 0; k < tasks; k++) {
            manager.getEngine().setRandomSeed(taskSeed(seed, k));
            networks.get(k).initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public void beginTrainingStep(long stepSeed) {
        this.stepSeed = stepSeed;
    }

    @Override
    protected NDList forwardInputs(ParameterStore ps, NDList inputs, boolean training, GateTrace trace) {
        boolean drawsDropout = training && spec.dropout() > 0;
        NDList outputs = new NDList(tasks);
        for (int k = 0; k < tasks; k++) {
            if (drawsDropout) {
                inputs.head().getManager().getEngine().setRandomSeed(taskSeed(stepSeed, k));
            }
            outputs.add(networks.get(k).apply(ps, inputs, training));
        }
        return outputs;
    }

    @Override
    public List<List<String>> taskParameterNames() {
        List<List<String>> names = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            String prefix = childNames.get(k) + "_";
            names.add(networks.get(k).getParameters().keys().stream()
                    .map(name -> prefix + name)
                    .toList());
        }
        return names;
    }

    /** The seed of task k's own draws: the same for a task of that name in any single-task model. */
    private int taskSeed(long base, int k) {
        long h = base * 0x9E3779B97F4A7C15L + spec.tasks().get(k).name().hashCode();
        h ^= h >>> 31;
        return (int) (h ^ (h >>> 32));
    }
}
