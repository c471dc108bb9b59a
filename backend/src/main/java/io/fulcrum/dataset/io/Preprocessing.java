package io.fulcrum.dataset.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input transform, fit on the training split only so that validation, test and serving see
 * exactly what a model would see in production: dense columns are standardised with the training
 * mean and standard deviation (a missing value becomes the mean, i.e. 0); categorical values seen in
 * training get embedding rows 1…n, everything else (unseen or missing) row 0, the out-of-vocabulary
 * row.
 *
 * @param dense the scaling of each dense column
 * @param categorical for each categorical column, the embedding row of every vocabulary id
 */
public record Preprocessing(Map<String, DenseScaling> dense, Map<String, CategoricalIndex> categorical) {

    public static final int OUT_OF_VOCABULARY = 0;

    /** {@code (x - mean) / std}; std is 1 for a constant column so it maps to 0 rather than NaN. */
    public record DenseScaling(double mean, double std) {

        public float apply(float value) {
            return Float.isNaN(value) ? 0f : (float) ((value - mean) / std);
        }
    }

    /**
     * @param rowOfId the embedding row of each vocabulary id ({@link #OUT_OF_VOCABULARY} if unseen in training)
     * @param rows the embedding table's size, the out-of-vocabulary row included
     */
    public record CategoricalIndex(int[] rowOfId, int rows) {

        public int apply(int id) {
            return id < 0 || id >= rowOfId.length ? OUT_OF_VOCABULARY : rowOfId[id];
        }
    }

    public static Preprocessing fit(ColumnarCache cache) throws IOException {
        ByteBuffer splits = cache.splits();
        Map<String, DenseScaling> dense = new LinkedHashMap<>();
        Map<String, CategoricalIndex> categorical = new LinkedHashMap<>();
        for (CacheMeta.CachedColumn column : cache.meta().columns()) {
            if (column.role() == ColumnRole.DENSE) {
                dense.put(column.name(), scaling(cache.floats(column.name()), splits));
            } else if (column.categorical()) {
                categorical.put(column.name(), index(cache.ids(column.name()), column.vocabularySize(), splits));
            }
        }
        return new Preprocessing(dense, categorical);
    }

    private static DenseScaling scaling(FloatBuffer values, ByteBuffer splits) {
        ColumnStatistics train = new ColumnStatistics();
        for (int row = 0; row < values.limit(); row++) {
            if (splits.get(row) == 0) {
                train.add(values.get(row));
            }
        }
        if (train.count() == 0) {
            return new DenseScaling(0, 1.0);
        }
        double std = train.std();
        return new DenseScaling(train.mean(), std > 1e-12 ? std : 1.0);
    }

    private static CategoricalIndex index(IntBuffer ids, int vocabularySize, ByteBuffer splits) {
        boolean[] seen = new boolean[vocabularySize];
        for (int row = 0; row < ids.limit(); row++) {
            int id = ids.get(row);
            if (id >= 0 && splits.get(row) == 0) {
                seen[id] = true;
            }
        }
        int[] rowOfId = new int[vocabularySize];
        int next = OUT_OF_VOCABULARY + 1;
        for (int id = 0; id < vocabularySize; id++) {
            rowOfId[id] = seen[id] ? next++ : OUT_OF_VOCABULARY;
        }
        return new CategoricalIndex(rowOfId, next);
    }
}
