package io.fulcrum.dataset;

import io.fulcrum.dataset.io.CacheMeta;
import io.fulcrum.dataset.io.ColumnarCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The first rows of a dataset's cache, decoded for people: numbers as numbers (null where missing),
 * categorical values as their original text, and each row's split.
 */
public record DatasetRows(List<String> columns, List<List<Object>> rows) {

    private static final String[] SPLIT_NAMES = {"train", "validation", "test"};

    static DatasetRows read(ColumnarCache cache, int count) throws IOException {
        int n = (int) Math.min(count, cache.rows());
        List<String> names = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            rows.add(new ArrayList<>());
        }
        for (CacheMeta.CachedColumn column : cache.meta().columns()) {
            names.add(column.name());
            if (column.categorical()) {
                IntBuffer ids = cache.ids(column.name());
                List<String> vocabulary = cache.vocabulary(column.name());
                for (int r = 0; r < n; r++) {
                    int id = ids.get(r);
                    rows.get(r).add(id < 0 ? null : vocabulary.get(id));
                }
            } else {
                FloatBuffer values = cache.floats(column.name());
                for (int r = 0; r < n; r++) {
                    float value = values.get(r);
                    rows.get(r).add(Float.isNaN(value) ? null : value);
                }
            }
        }
        names.add("split");
        ByteBuffer splits = cache.splits();
        for (int r = 0; r < n; r++) {
            rows.get(r).add(SPLIT_NAMES[splits.get(r)]);
        }
        return new DatasetRows(names, rows);
    }
}
