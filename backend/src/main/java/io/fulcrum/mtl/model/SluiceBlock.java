package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sluice network: cross-stitch columns whose units are cut into subspaces, mixed across tasks and
 * subspaces by a learned (K·S)×(K·S) matrix after each level, and a learned weighted skip over levels
 * (beta) feeding each tower.
 */
public final class SluiceBlock extends SharedInputBlock {

    private static final byte VERSION = 1;

    private final int subspaces;
    private final List<ExpertBank> columns = new ArrayList<>();
    private final List<Parameter> stitches = new ArrayList<>();
    private final Parameter beta;
    private final List<Tower> towers;

    public SluiceBlock(ModelSpec spec) {
        super(VERSION, spec);
        this.subspaces = spec.sluiceSubspaces();
        long in = encoder.width();
        int levels = spec.levels();
        for (int j = 1; j <= levels; j++) {
            ExpertBank bank = addChildBlock(
                    "level" + j + "_columns",
                    new ExpertBank(tasks, in, spec.experts().units(), spec.activation(), spec.dropout()));
            columns.add(bank);
            long n = (long) tasks * subspaces;
            stitches.add(custom("stitch" + j, new Shape(n, n), new StitchInitializer(0.9f)));
            in = bank.outputWidth();
        }
        // (K, 1, L, 1): broadcasts as a per-task (L → 1) product over the stacked levels
        this.beta = custom("beta", new Shape(tasks, 1, levels, 1), new Uniform(1f / levels));
        this.towers = towers(in);
    }

    @Override
    protected NDList forwardTasks(ParameterStore ps, NDArray x, boolean training, GateTrace trace) {
        NDArray h = x;
        NDList perLevel = new NDList(columns.size());
        for (int j = 0; j < columns.size(); j++) {
            NDArray hidden = columns.get(j).apply(ps, h, training);
            h = CrossStitchBlock.mix(hidden, ps.getValue(stitches.get(j), x.getDevice(), training), subspaces);
            perLevel.add(h);
        }
        NDArray stacked = NDArrays.stack(perLevel, 3); // (K, B, h, L)
        NDArray skip = stacked.matMul(ps.getValue(beta, x.getDevice(), training)); // (K, B, h, 1)
        Shape s = h.getShape();
        return applyTowers(ps, towers, skip.reshape(s), training);
    }

    private record Uniform(float value) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return manager.full(shape, value, dataType);
        }
    }
}
