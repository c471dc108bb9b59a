package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/** Multi-gate Mixture-of-Experts: n shared experts, one softmax gate over all of them per task. */
public final class MmoeBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final ExpertBank experts;
    private final Gate gates;
    private final List<Tower> towers;
    private final List<String> labels = new ArrayList<>();

    public MmoeBlock(ModelSpec spec) {
        super(VERSION, spec);
        int n = spec.experts().shared();
        this.experts = addChildBlock(
                "experts",
                new ExpertBank(
                        n,
                        encoder.width(),
                        spec.experts().units(),
                        spec.activation(),
                        spec.dropout(),
                        spec.normalizedExperts()));
        this.gates = addChildBlock("gates", new Gate(tasks, encoder.width(), n, spec.gateBias()));
        this.towers = towers(experts.outputWidth());
        for (int i = 0; i < n; i++) {
            labels.add("expert#" + i);
        }
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray weights = gates.apply(ps, x, training); // (K, B, n)
        NDArray fused = Gate.mixSharedBatchMajor(weights, experts.applySideBySide(ps, x, training));
        if (trace != null) {
            for (int k = 0; k < tasks; k++) {
                trace.record("level1/task:" + spec.taskNames().get(k), labels, weights.get(k));
            }
        }
        return applyTowers(ps, towers, fused, training);
    }
}
