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
 * STEM's inputs: every categorical column has V = K + 1 embeddings, one per task and one shared,
 * stored as one table of width V · d so that a single lookup fetches all of them. The result is V views
 * of x, (V, B, width): task k's at index k, the shared one last; dense columns are the same in every
 * view.
 */
final class StemEncoder extends SizedBlock {

    private static final byte VERSION = 1;

    private final int views;
    private final int denseCount;
    private final List<Parameter> tables = new ArrayList<>();
    private final List<Integer> dims = new ArrayList<>();
    private final long width;

    StemEncoder(ModelSpec.Inputs inputs, int views) {
        super(VERSION);
        this.views = views;
        this.denseCount = inputs.dense().size();
        for (ModelSpec.CategoricalFeature c : inputs.categorical()) {
            tables.add(custom(
                    "embedding_" + c.name(),
                    new Shape(c.vocabularySize() + 1L, (long) views * c.embeddingDim()),
                    new NormalInitializer(0.05f)));
            dims.add(c.embeddingDim());
        }
        this.width = inputs.encodedWidth();
    }

    NDArray encode(ParameterStore ps, NDList inputs, boolean training) {
        NDList parts = new NDList();
        long batch = inputs.get(0).getShape().get(0);
        if (denseCount > 0) {
            NDArray dense = inputs.get(0);
            parts.add(dense.expandDims(1).broadcast(new Shape(batch, views, denseCount)));
        }
        if (!tables.isEmpty()) {
            NDArray ids = inputs.get(denseCount > 0 ? 1 : 0);
            for (int c = 0; c < tables.size(); c++) {
                NDArray table = ps.getValue(tables.get(c), ids.getDevice(), training);
                parts.add(Embedding.embedding(ids.get(":, {}", c), table, SparseFormat.DENSE)
                        .singletonOrThrow()
                        .reshape(batch, views, dims.get(c)));
            }
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 2);
        return all.transpose(1, 0, 2);
    }

    long width() {
        return width;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(views, inputShapes[0].get(0), width)};
    }
}
