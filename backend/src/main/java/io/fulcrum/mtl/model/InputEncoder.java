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
    private final int views;
    private final List<Parameter> tables = new ArrayList<>();
    private final List<Integer> dims = new ArrayList<>();
    private final long width;

    public InputEncoder(ModelSpec.Inputs inputs) {
        this(inputs, 1);
    }

    /**
     * @param views embeddings per categorical value (STEM: one per task and a shared one), stored side
     *     by side as one table of width views · d, so that a single lookup fetches all of them
     */
    public InputEncoder(ModelSpec.Inputs inputs, int views) {
        super(VERSION);
        this.denseCount = inputs.dense().size();
        this.views = views;
        for (ModelSpec.CategoricalFeature c : inputs.categorical()) {
            tables.add(custom(
                    "embedding_" + c.name(),
                    new Shape(c.vocabularySize() + 1L, (long) views * c.embeddingDim()),
                    new NormalInitializer(0.05f)));
            dims.add(c.embeddingDim());
        }
        this.width = inputs.encodedWidth();
    }

    /** x (B, width) of an encoder with one view. */
    public NDArray encode(ParameterStore ps, NDList inputs, boolean training) {
        if (tables.isEmpty()) {
            return inputs.get(0);
        }
        NDList parts = new NDList();
        if (denseCount > 0) {
            parts.add(inputs.get(0));
        }
        parts.addAll(lookups(ps, inputs, training));
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    /**
     * The views of x, (V, B, width): view v holds each categorical column's v-th embedding, and the dense
     * columns are the same in every view.
     */
    public NDArray encodeViews(ParameterStore ps, NDList inputs, boolean training) {
        long batch = inputs.get(0).getShape().get(0);
        NDList parts = new NDList();
        if (denseCount > 0) {
            parts.add(inputs.get(0).expandDims(1).broadcast(new Shape(batch, views, denseCount)));
        }
        NDList lookups = lookups(ps, inputs, training);
        for (int c = 0; c < lookups.size(); c++) {
            parts.add(lookups.get(c).reshape(batch, views, dims.get(c)));
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 2);
        return all.transpose(1, 0, 2);
    }

    /** Each categorical column's embeddings (B, views · d), or none without categorical columns. */
    private NDList lookups(ParameterStore ps, NDList inputs, boolean training) {
        NDList out = new NDList(tables.size());
        if (tables.isEmpty()) {
            return out;
        }
        NDArray ids = inputs.get(denseCount > 0 ? 1 : 0);
        for (int c = 0; c < tables.size(); c++) {
            NDArray table = ps.getValue(tables.get(c), ids.getDevice(), training);
            out.add(Embedding.embedding(ids.get(":, {}", c), table, SparseFormat.DENSE)
                    .singletonOrThrow());
        }
        return out;
    }

    public long width() {
        return width;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(views == 1 ? encode(ps, inputs, training) : encodeViews(ps, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {views == 1 ? new Shape(batch, width) : new Shape(views, batch, width)};
    }
}
