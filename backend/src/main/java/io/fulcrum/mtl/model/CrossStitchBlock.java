package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-stitch network: one column per task (the columns of a level are stacked and run in one
 * product); after each level a learned K×K matrix mixes the tasks' hidden units:
 * h'_k = Σ_l alpha[l][k] · h_l.
 */
public final class CrossStitchBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final List<ExpertBank> columns = new ArrayList<>();
    private final List<Parameter> stitches = new ArrayList<>();
    private final List<Tower> towers;

    public CrossStitchBlock(ModelSpec spec) {
        super(VERSION, spec);
        long in = encoder.width();
        for (int j = 1; j <= spec.levels(); j++) {
            ExpertBank bank = addChildBlock(
                    "level" + j + "_columns",
                    new ExpertBank(tasks, in, spec.experts().units(), spec.activation(), spec.dropout()));
            columns.add(bank);
            stitches.add(custom("stitch" + j, new Shape(tasks, tasks), new StitchInitializer(0.9f)));
            in = bank.outputWidth();
        }
        this.towers = towers(in);
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray h = x;
        for (int j = 0; j < columns.size(); j++) {
            NDArray hidden = columns.get(j).apply(ps, h, training);
            h = mix(hidden, ps.getValue(stitches.get(j), x.getDevice(), training), 1);
        }
        return applyTowers(ps, towers, h, training);
    }

    /**
     * Mixes (K, B, h) across tasks, each task's units cut into {@code subspaces} equal parts, with a
     * (K·S)×(K·S) matrix; the activations come first so every result stays in their manager.
     */
    static NDArray mix(NDArray hidden, NDArray alpha, int subspaces) {
        Shape s = hidden.getShape();
        long k = s.get(0);
        long batch = s.get(1);
        long part = s.get(2) / subspaces;
        NDArray flat =
                hidden.reshape(k, batch, subspaces, part).transpose(0, 2, 1, 3).reshape(k * subspaces, batch * part);
        NDArray mixed = flat.transpose().matMul(alpha).transpose();
        return mixed.reshape(k, subspaces, batch, part).transpose(0, 2, 1, 3).reshape(k, batch, s.get(2));
    }
}
