package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive Task-to-Task fusion (Li et al., KDD 2023; methods brief §4), after the reference code's
 * shared-expert form (AdaTT-sp when {@code experts.shared} is 0). Every task owns a fusion unit with m
 * native experts; at each level a unit's softmax gate mixes the experts of all units, and a linear
 * residual of its own native experts is added outside the softmax (weights learned, initialised
 * U(±1/√m); fixed at 1 when every unit has one expert). The shared unit does the same at every level
 * but the last. A unit's experts and gate read that unit's output of the level below (x at the first).
 * The gates always have a bias, as in the reference code.
 */
public final class AdattBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final List<Level> levels = new ArrayList<>();
    private final List<Tower> towers;

    public AdattBlock(ModelSpec spec) {
        super(VERSION, spec);
        long in = encoder.width();
        for (int j = 1; j <= spec.levels(); j++) {
            Level level = addChildBlock("level" + j, new Level(j, spec, in, j < spec.levels()));
            levels.add(level);
            in = level.outputWidth();
        }
        this.towers = towers(in);
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray taskInputs = null;
        NDArray sharedInput = null;
        for (Level level : levels) {
            NDList out = taskInputs == null
                    ? level.applyFirst(ps, x, training, trace)
                    : level.apply(ps, taskInputs, sharedInput, training, trace);
            taskInputs = out.get(0);
            sharedInput = out.size() > 1 ? out.get(1) : null;
        }
        return applyTowers(ps, towers, taskInputs, training);
    }

    /** One fusion level: experts [task 1's m, …, task K's m, shared m_s], one gate per unit present. */
    static final class Level extends SizedBlock {

        private final int level;
        private final int tasks;
        private final int perTask;
        private final int shared;
        private final int total;
        private final int units;
        private final ExpertBank experts;
        private final Gate gates;
        private final Parameter taskResidual;
        private final Parameter sharedResidual;
        // (U, E): 1 where expert e is native to unit u
        private final float[] nativeExperts;
        private final List<String> labels = new ArrayList<>();
        private final List<String> unitNames = new ArrayList<>();

        Level(int level, ModelSpec spec, long in, boolean withSharedUnit) {
            super(VERSION);
            this.level = level;
            this.tasks = spec.taskCount();
            this.perTask = spec.experts().perTask();
            this.shared = spec.experts().shared();
            this.total = tasks * perTask + shared;
            this.units = tasks + (withSharedUnit && shared > 0 ? 1 : 0);
            this.experts = addChildBlock(
                    "experts", new ExpertBank(total, in, spec.experts().units(), spec.activation(), spec.dropout()));
            this.gates = addChildBlock("gates", new Gate(units, in, total, true));
            boolean fixed = perTask == 1 && shared <= 1;
            this.taskResidual = fixed
                    ? null
                    : custom("taskResidual", new Shape((long) tasks * perTask), new UniformInitializer((float)
                            Math.sqrt(1.0 / perTask)));
            this.sharedResidual = fixed || units == tasks
                    ? null
                    : custom("sharedResidual", new Shape(shared), new UniformInitializer((float)
                            Math.sqrt(1.0 / shared)));
            for (int k = 0; k < tasks; k++) {
                unitNames.add("task:" + spec.taskNames().get(k));
                for (int i = 0; i < perTask; i++) {
                    labels.add(spec.taskNames().get(k) + "#" + i);
                }
            }
            if (units > tasks) {
                unitNames.add("shared");
            }
            for (int i = 0; i < shared; i++) {
                labels.add("shared#" + i);
            }
            this.nativeExperts = new float[units * total];
            for (int e = 0; e < total; e++) {
                int owner = e < tasks * perTask ? e / perTask : tasks;
                if (owner < units) {
                    nativeExperts[owner * total + e] = 1f;
                }
            }
        }

        /** The first level: every expert and gate reads x (B, in). */
        NDList applyFirst(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
            return fuse(ps, experts.applySideBySide(ps, x, training), gates.apply(ps, x, training), training, trace);
        }

        /** Levels above: unit k's experts and gate read task k's output (K, B, in), the shared ones the shared output. */
        NDList apply(ParameterStore ps, NDArray taskInputs, NDArray sharedInput, boolean training, GateTrace trace) {
            NDList perExpert = new NDList(taskInputs.repeat(0, perTask));
            NDList selectors = new NDList(taskInputs);
            if (shared > 0) {
                perExpert.add(sharedInput.expandDims(0).repeat(0, shared));
            }
            if (units > tasks) {
                selectors.add(sharedInput.expandDims(0));
            }
            NDArray all =
                    experts.apply(ps, NDArrays.concat(perExpert, 0), training).transpose(1, 0, 2);
            NDArray selector = selectors.size() == 1 ? selectors.get(0) : NDArrays.concat(selectors, 0);
            return fuse(ps, all, gates.apply(ps, selector, training), training, trace);
        }

        /** all (B, E, out), weights (U, B, E) → [tasks (K, B, out), shared (B, out) when the shared unit is present]. */
        NDList fuse(ParameterStore ps, NDArray all, NDArray weights, boolean training, GateTrace trace) {
            NDArray placement = all.getManager().create(nativeExperts, new Shape(units, total));
            NDArray residual = placement;
            if (taskResidual != null) {
                NDList parts = new NDList(ps.getValue(taskResidual, all.getDevice(), training));
                if (sharedResidual != null) {
                    parts.add(ps.getValue(sharedResidual, all.getDevice(), training));
                } else if (shared > 0) {
                    parts.add(all.getManager().zeros(new Shape(shared)));
                }
                NDArray perExpert = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
                residual = placement.mul(perExpert.reshape(1, total));
            }
            // the residual adds to the gate's weights outside the softmax, so one product mixes both
            NDArray mixed = weights.transpose(1, 0, 2).add(residual).matMul(all); // (B, U, out)
            if (trace != null) {
                for (int u = 0; u < units; u++) {
                    trace.record("level" + level + "/" + unitNames.get(u), labels, weights.get(u));
                }
            }
            if (units == tasks) {
                return new NDList(mixed.transpose(1, 0, 2));
            }
            NDList parts = mixed.split(new long[] {tasks}, 1);
            return new NDList(parts.get(0).transpose(1, 0, 2), parts.get(1).squeeze(1));
        }

        long outputWidth() {
            return experts.outputWidth();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return applyFirst(ps, inputs.singletonOrThrow(), training, null);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long batch = inputShapes[0].get(0);
            Shape taskShape = new Shape(tasks, batch, experts.outputWidth());
            return units == tasks
                    ? new Shape[] {taskShape}
                    : new Shape[] {taskShape, new Shape(batch, experts.outputWidth())};
        }
    }
}
