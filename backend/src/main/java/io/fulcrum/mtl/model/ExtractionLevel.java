package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
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

    public ExtractionLevel(int level, ModelSpec spec, long in, boolean withSharedGate) {
        super(VERSION);
        this.level = level;
        this.tasks = spec.taskCount();
        this.perTask = spec.experts().perTask();
        this.shared = spec.experts().shared();
        this.taskNames = spec.taskNames();
        int total = tasks * perTask + shared;
        this.experts = addChildBlock(
                "experts", new ExpertBank(total, in, spec.experts().units(), spec.activation(), spec.dropout()));
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
        // weighted sums as broadcast multiply-and-add: the gates mix only 2–8 experts, where a batched
        // product would be B tiny (1 × n)·(n × out) products. Each layout mixes along its own expert axis,
        // so that no reduction runs over strided memory.
        Output out = taskInputs.getShape().dimension() == 2
                ? mixStacked(experts.apply(ps, sharedInput, training), taskWeights, sharedWeights)
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

    /** The first level: every expert read x, all of them stacked as (E, B, out). */
    private Output mixStacked(NDArray all, NDArray taskWeights, NDArray sharedWeights) {
        Shape s = all.getShape();
        NDArray own = all.get("0:{}", tasks * perTask).reshape(tasks, perTask, s.get(1), s.get(2));
        NDArray common = all.get("{}:", tasks * perTask).expandDims(0); // (1, m_s, B, out)
        NDArray perExpert = taskWeights.transpose(0, 2, 1).expandDims(3); // (K, m_k + m_s, B, 1)
        NDArray taskOut = own.mul(perExpert.get(":, 0:{}", perTask))
                .sum(new int[] {1})
                .add(common.mul(perExpert.get(":, {}:", perTask)).sum(new int[] {1}));
        NDArray sharedOut = sharedWeights == null
                ? null
                : all.mul(sharedWeights.transpose().expandDims(2)).sum(new int[] {0});
        return new Output(taskOut, sharedOut);
    }

    /** Levels above the first: task experts (K, B, m_k, out), shared experts (B, m_s, out). */
    private Output mixGrouped(ExpertBank.Grouped experts, NDArray taskWeights, NDArray sharedWeights) {
        NDArray own = experts.own();
        NDArray common = experts.shared();
        NDArray perExpert = taskWeights.expandDims(3); // (K, B, m_k + m_s, 1)
        NDArray taskOut = own.mul(perExpert.get(":, :, 0:{}", perTask))
                .sum(new int[] {2})
                .add(common.expandDims(0)
                        .mul(perExpert.get(":, :, {}:", perTask))
                        .sum(new int[] {2}));
        if (sharedWeights == null) {
            return new Output(taskOut, null);
        }
        long batch = sharedWeights.getShape().get(0);
        NDArray ownWeights = sharedWeights
                .get(":, 0:{}", tasks * perTask)
                .reshape(batch, tasks, perTask)
                .transpose(1, 0, 2)
                .expandDims(3); // (K, B, m_k, 1)
        NDArray sharedOut = own.mul(ownWeights)
                .sum(new int[] {0, 2})
                .add(common.mul(sharedWeights.get(":, {}:", tasks * perTask).expandDims(2))
                        .sum(new int[] {1}));
        return new Output(taskOut, sharedOut);
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
