package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One extraction level of CGC/PLE (brief §2). Experts are stacked in the order [task 1's m_k, …, task
 * K's m_k, shared m_s]. Task gate k mixes [E_k ; E_s] selected by task k's input; the optional shared
 * gate (absent at PLE's last level) mixes every expert of the level, selected by the shared input.
 */
public final class ExtractionLevel extends SizedBlock {

    private static final byte VERSION = 1;

    /** Fused outputs: taskOutputs (K, B, out) and the shared output (B, out), null without shared gate. */
    public record Output(NDArray taskOutputs, NDArray sharedOutput) {}

    private final int level;
    private final int tasks;
    private final int perTask;
    private final int shared;
    private final ExpertBank experts;
    private final Gate taskGates;
    private final Gate sharedGate;
    private final List<List<String>> taskGateLabels = new ArrayList<>();
    private final List<String> sharedGateLabels = new ArrayList<>();
    private final List<String> taskNames;
    // (K, m_k + m_s, E): 1 where a task gate's slot j is expert e of the level, for mixFirst
    private final float[] placement;
    private final Shape placementShape;

    public ExtractionLevel(int level, ModelSpec spec, long in, boolean withSharedGate) {
        super(VERSION);
        this.level = level;
        this.tasks = spec.taskCount();
        this.perTask = spec.experts().perTask();
        this.shared = spec.experts().shared();
        this.taskNames = spec.taskNames();
        int total = tasks * perTask + shared;
        this.experts = addChildBlock(
                "experts",
                new ExpertBank(
                        total,
                        in,
                        spec.experts().units(),
                        spec.activation(),
                        spec.dropout(),
                        spec.normalizedExperts()));
        this.taskGates = addChildBlock("taskGates", new Gate(tasks, in, perTask + shared, spec.gateBias()));
        this.sharedGate = withSharedGate ? addChildBlock("sharedGate", new Gate(1, in, total, spec.gateBias())) : null;
        for (int k = 0; k < tasks; k++) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < perTask; i++) {
                labels.add(taskNames.get(k) + "#" + i);
            }
            for (int i = 0; i < shared; i++) {
                labels.add("shared#" + i);
            }
            taskGateLabels.add(labels);
            sharedGateLabels.addAll(labels.subList(0, perTask));
        }
        for (int i = 0; i < shared; i++) {
            sharedGateLabels.add("shared#" + i);
        }
        int slots = perTask + shared;
        this.placement = new float[tasks * slots * total];
        this.placementShape = new Shape(tasks, slots, total);
        for (int k = 0; k < tasks; k++) {
            for (int j = 0; j < slots; j++) {
                int expert = j < perTask ? k * perTask + j : tasks * perTask + (j - perTask);
                placement[(k * slots + j) * total + expert] = 1f;
            }
        }
    }

    /**
     * @param taskInputs (B, in) read by every task (level 1) or (K, B, in), one per task
     * @param sharedInput (B, in)
     */
    public Output apply(ParameterStore ps, NDArray taskInputs, NDArray sharedInput, boolean training, GateTrace trace) {
        NDArray taskWeights = taskGates.apply(ps, taskInputs, training); // (K, B, m_k + m_s)
        NDArray sharedWeights = sharedGate == null
                ? null
                : sharedGate.apply(ps, sharedInput, training).get(0); // (B, E)
        // the gates mix as batched products over the sample axis, (B, gates, n)·(B, n, out): no temporary
        // of every expert's output times its weight, forward or backward, which broadcast multiply-and-sum
        // made (measured in docs/benchmarks.md)
        Output out = taskInputs.getShape().dimension() == 2
                ? mixFirst(experts.applySideBySide(ps, sharedInput, training), taskWeights, sharedWeights)
                : mixGrouped(
                        experts.applyGrouped(ps, taskInputs, sharedInput, perTask, training),
                        taskWeights,
                        sharedWeights);
        if (trace != null) {
            if (sharedWeights != null) {
                trace.record("level" + level + "/shared", sharedGateLabels, sharedWeights);
            }
            for (int k = 0; k < tasks; k++) {
                trace.record("level" + level + "/task:" + taskNames.get(k), taskGateLabels.get(k), taskWeights.get(k));
            }
        }
        return out;
    }

    /**
     * The first level: every expert read x, side by side as (B, E, out). Each task's weights are placed at
     * its experts' positions among all E (zeros elsewhere) by one product with a constant 0/1 matrix, so
     * that every gate, the shared one included, mixes the same (B, E, out) in one batched product.
     */
    private Output mixFirst(NDArray all, NDArray taskWeights, NDArray sharedWeights) {
        NDArray placed = taskWeights.matMul(all.getManager().create(placement, placementShape)); // (K, B, E)
        NDArray gates = placed.transpose(1, 0, 2); // (B, K, E)
        if (sharedWeights != null) {
            gates = NDArrays.concat(new NDList(gates, sharedWeights.expandDims(1)), 1); // (B, K + 1, E)
        }
        NDArray mixed = gates.matMul(all); // (B, K or K + 1, out)
        if (sharedWeights == null) {
            return new Output(mixed.transpose(1, 0, 2), null);
        }
        // a split's gradient is one concatenation; two slices' would be two zero-filled copies of mixed
        NDList parts = mixed.split(new long[] {tasks}, 1);
        return new Output(parts.get(0).transpose(1, 0, 2), parts.get(1).squeeze(1));
    }

    /** Levels above the first: task experts (K, B, m_k, out), shared experts (B, m_s, out). */
    private Output mixGrouped(ExpertBank.Grouped experts, NDArray taskWeights, NDArray sharedWeights) {
        NDArray own = experts.own();
        NDArray common = experts.shared();
        NDList taskParts = taskWeights.split(new long[] {perTask}, 2);
        // (K, B, 1, m_k)·(K, B, m_k, out), and every task's gate over the shared experts (B, m_s, out)
        NDArray ownMixed = taskParts.get(0).expandDims(2).matMul(own).squeeze(2);
        NDArray commonMixed = Gate.mixSharedBatchMajor(taskParts.get(1), common);
        NDArray taskOut = ownMixed.add(commonMixed);
        if (sharedWeights == null) {
            return new Output(taskOut, null);
        }
        long batch = sharedWeights.getShape().get(0);
        // the shared gate of a middle level: (K, B, 1, m_k)·(K, B, m_k, out) summed over tasks, plus
        // (B, 1, m_s)·(B, m_s, out)
        NDList sharedParts = sharedWeights.split(new long[] {(long) tasks * perTask}, 1);
        NDArray ownPart = sharedParts
                .get(0)
                .reshape(batch, tasks, perTask)
                .transpose(1, 0, 2)
                .expandDims(2)
                .matMul(own)
                .squeeze(2)
                .sum(new int[] {0});
        NDArray commonPart = sharedParts.get(1).expandDims(1).matMul(common).squeeze(1);
        return new Output(taskOut, ownPart.add(commonPart));
    }

    public long outputWidth() {
        return experts.outputWidth();
    }

    public boolean hasSharedGate() {
        return sharedGate != null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Output out = apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : inputs.get(0), training, null);
        return out.sharedOutput() == null
                ? new NDList(out.taskOutputs())
                : new NDList(out.taskOutputs(), out.sharedOutput());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long batch = in.dimension() == 2 ? in.get(0) : in.get(1);
        Shape taskShape = new Shape(tasks, batch, experts.outputWidth());
        return sharedGate == null
                ? new Shape[] {taskShape}
                : new Shape[] {taskShape, new Shape(batch, experts.outputWidth())};
    }
}
