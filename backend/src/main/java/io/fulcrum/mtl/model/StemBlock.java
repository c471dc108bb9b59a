package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared and Task-specific EMbeddings (Su et al., AAAI 2024; methods brief §3). Each task has its own
 * embeddings beside a shared set; task k's experts read task k's embeddings, the shared experts the
 * shared ones. Every task's gate weighs all experts of the level (selected by the sum of its own and
 * the shared view), but the gradient of task k reaches only its own and the shared experts: other
 * tasks' expert outputs enter its mixture through a stop-gradient (All-Forward, Task-specific
 * Backward). Levels stack like PLE's, with a shared gate below the last level.
 */
public final class StemBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    private final InputEncoder encoder;
    private final List<Level> levels = new ArrayList<>();
    private final List<Tower> towers;

    public StemBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.encoder = addChildBlock("input", new InputEncoder(spec.inputs(), tasks + 1));
        long in = encoder.width();
        for (int j = 1; j <= spec.levels(); j++) {
            Level level = addChildBlock("level" + j, new Level(j, spec, in, j < spec.levels()));
            levels.add(level);
            in = level.outputWidth();
        }
        this.towers = towers(in);
    }

    @Override
    protected NDList forwardInputs(ParameterStore ps, NDList inputs, boolean training, GateTrace trace) {
        NDList views = encoder.encodeViews(ps, inputs, training).split(new long[] {tasks}, 0);
        NDArray taskInputs = views.get(0);
        NDArray sharedInput = views.get(1).squeeze(0);
        for (Level level : levels) {
            NDList out = level.apply(ps, taskInputs, sharedInput, training, trace);
            taskInputs = out.get(0);
            sharedInput = out.size() > 1 ? out.get(1) : null;
        }
        return SharedInputBlock.applyTowers(ps, towers, taskInputs, training);
    }

    /** One STEM layer: experts [task 1's m, …, task K's m, shared m_s], K task gates, a shared gate below the last layer. */
    static final class Level extends SizedBlock {

        private final int level;
        private final int tasks;
        private final int perTask;
        private final int total;
        private final ExpertBank experts;
        private final Gate taskGates;
        private final Gate sharedGate;
        private final List<String> labels = new ArrayList<>();
        private final List<String> taskNames;
        // (K, E): 1 where expert e is task k's own or a shared one, whose outputs keep their gradient in k's mixture
        private final float[] trainedBy;

        Level(int level, ModelSpec spec, long in, boolean withSharedGate) {
            super(VERSION);
            this.level = level;
            this.tasks = spec.taskCount();
            this.perTask = spec.experts().perTask();
            int shared = spec.experts().shared();
            this.total = tasks * perTask + shared;
            this.taskNames = spec.taskNames();
            this.experts = addChildBlock(
                    "experts", new ExpertBank(total, in, spec.experts().units(), spec.activation(), spec.dropout()));
            this.taskGates = addChildBlock("taskGates", new Gate(tasks, in, total, spec.gateBias()));
            this.sharedGate =
                    withSharedGate ? addChildBlock("sharedGate", new Gate(1, in, total, spec.gateBias())) : null;
            for (int k = 0; k < tasks; k++) {
                for (int i = 0; i < perTask; i++) {
                    labels.add(taskNames.get(k) + "#" + i);
                }
            }
            for (int i = 0; i < shared; i++) {
                labels.add("shared#" + i);
            }
            this.trainedBy = new float[tasks * total];
            for (int k = 0; k < tasks; k++) {
                for (int e = 0; e < total; e++) {
                    boolean own = e / perTask == k && e < tasks * perTask;
                    trainedBy[k * total + e] = own || e >= tasks * perTask ? 1f : 0f;
                }
            }
        }

        /** [task outputs (K, B, out), shared output (B, out) when the level has a shared gate]. */
        NDList apply(ParameterStore ps, NDArray taskInputs, NDArray sharedInput, boolean training, GateTrace trace) {
            ExpertBank.Grouped grouped = experts.applyGrouped(ps, taskInputs, sharedInput, perTask, training);
            NDArray own = grouped.own(); // (K, B, m, out)
            Shape s = own.getShape();
            NDArray all = own.transpose(1, 0, 2, 3)
                    .reshape(s.get(1), (long) tasks * perTask, s.get(3))
                    .concat(grouped.shared(), 1); // (B, E, out)
            NDArray weights = taskGates.apply(ps, taskInputs.add(sharedInput), training); // (K, B, E)
            NDArray gates = weights.transpose(1, 0, 2); // (B, K, E)
            NDArray mixed;
            if (training) {
                NDArray keep = all.getManager().create(trainedBy, new Shape(tasks, total));
                NDArray kept = gates.mul(keep);
                // other tasks' experts count in the forward pass but pass no gradient back to them
                mixed = kept.matMul(all).add(gates.sub(kept).matMul(all.stopGradient())); // (B, K, out)
            } else {
                mixed = gates.matMul(all); // the same values: without a backward pass the split is moot
            }
            NDList out = new NDList(mixed.transpose(1, 0, 2));
            NDArray sharedWeights = null;
            if (sharedGate != null) {
                sharedWeights = sharedGate.apply(ps, sharedInput, training).get(0); // (B, E)
                out.add(sharedWeights.expandDims(1).matMul(all).squeeze(1));
            }
            if (trace != null) {
                if (sharedWeights != null) {
                    trace.record("level" + level + "/shared", labels, sharedWeights);
                }
                for (int k = 0; k < tasks; k++) {
                    trace.record("level" + level + "/task:" + taskNames.get(k), labels, weights.get(k));
                }
            }
            return out;
        }

        long outputWidth() {
            return experts.outputWidth();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return apply(ps, inputs.get(0), inputs.get(1), training, null);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long batch = inputShapes[0].get(1);
            Shape taskShape = new Shape(tasks, batch, experts.outputWidth());
            return sharedGate == null
                    ? new Shape[] {taskShape}
                    : new Shape[] {taskShape, new Shape(batch, experts.outputWidth())};
        }
    }
}
