package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds x from the raw inputs: dense columns as they are, each categorical column through its own
 * embedding table whose row 0 is the out-of-vocabulary row. Inputs are [dense (B, nd)] and/or
 * [categorical indices (B, nc) int64], in that order, each present only when the spec has such columns.
 */
public final class InputEncoder extends SizedBlock {

    private static final byte VERSION = 1;

    private final int denseCount;
    private final List<Parameter> tables = new ArrayList<>();
    private final long width;

    public InputEncoder(ModelSpec.Inputs inputs) {
        super(VERSION);
        this.denseCount = inputs.dense().size();
        for (ModelSpec.CategoricalFeature c : inputs.categorical()) {
            tables.add(custom(
                    "embedding_" + c.name(),
                    new Shape(c.vocabularySize() + 1L, c.embeddingDim()),
                    new NormalInitializer(0.05f)));
        }
        this.width = inputs.encodedWidth();
    }

    public NDArray encode(ParameterStore ps, NDList inputs, boolean training) {
        if (tables.isEmpty()) {
            return inputs.get(0);
        }
        NDList parts = new NDList();
        if (denseCount > 0) {
            parts.add(inputs.get(0));
        }
        NDArray ids = inputs.get(denseCount > 0 ? 1 : 0);
        for (int c = 0; c < tables.size(); c++) {
            NDArray table = ps.getValue(tables.get(c), ids.getDevice(), training);
            parts.add(Embedding.embedding(ids.get(":, {}", c), table, SparseFormat.DENSE)
                    .singletonOrThrow());
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    public long width() {
        return width;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }
}
