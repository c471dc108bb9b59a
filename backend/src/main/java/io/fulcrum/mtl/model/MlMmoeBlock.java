package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-level MMoE: MMoE stacked in levels. Below the last level, one gate per expert of the next
 * level mixes this level's experts, and that mixture is the next expert's input; the last level has one
 * gate per task. Every gate selects on x, as MMoE's gates do.
 */
public final class MlMmoeBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final List<ExpertBank> banks = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();
    private final List<Tower> towers;
    private final List<String> labels = new ArrayList<>();

    public MlMmoeBlock(ModelSpec spec) {
        super(VERSION, spec);
        int n = spec.experts().shared();
        int levels = spec.levels();
        long in = encoder.width();
        for (int j = 1; j <= levels; j++) {
            ExpertBank bank = addChildBlock(
                    "level" + j + "_experts",
                    new ExpertBank(n, in, spec.experts().units(), spec.activation(), spec.dropout()));
            banks.add(bank);
            int gateCount = j < levels ? n : tasks;
            gates.add(addChildBlock("level" + j + "_gates", new Gate(gateCount, encoder.width(), n, spec.gateBias())));
            in = bank.outputWidth();
        }
        this.towers = towers(in);
        for (int i = 0; i < n; i++) {
            labels.add("expert#" + i);
        }
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray input = x;
        for (int j = 0; j < banks.size(); j++) {
            NDArray weights = gates.get(j).apply(ps, x, training); // (G, B, n)
            input = Gate.mixShared(weights, banks.get(j).apply(ps, input, training)); // (G, B, out)
            if (trace != null) {
                boolean last = j == banks.size() - 1;
                for (int g = 0; g < gates.get(j).groups(); g++) {
                    String name = last ? "task:" + spec.taskNames().get(g) : "expert#" + g;
                    trace.record("level" + (j + 1) + "/" + name, labels, weights.get(g));
                }
            }
        }
        return applyTowers(ps, towers, input, training);
    }
}
