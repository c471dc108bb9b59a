package io.fulcrum.dataset;

import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.GeneratedRows;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.SyntheticGenerator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The synthetic recipe's rows as a dataset: dense x0 … x{d−1}, then the regression labels y1 and y2. */
public final class SyntheticRows implements GeneratedRows {

    private static final int BATCH = 4096;

    private final long rows;
    private final int dimension;
    private final List<ColumnSchema> schema = new ArrayList<>();
    private final Iterator<MtlDataset> batches;
    private MtlDataset batch;
    private int next;

    public SyntheticRows(SyntheticDatasetSpec spec) {
        SyntheticGenerator generator = new SyntheticGenerator(spec.settings());
        this.rows = spec.samples();
        this.dimension = spec.dimension();
        for (String name : generator.inputs().dense()) {
            schema.add(new ColumnSchema(name, ColumnRole.DENSE));
        }
        for (var task : SyntheticGenerator.tasks()) {
            schema.add(new ColumnSchema(task.name(), ColumnRole.LABEL));
        }
        this.batches = generator.batches(0, rows, BATCH);
    }

    @Override
    public List<ColumnSchema> schema() {
        return schema;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void next(float[] numbers, String[] categories) {
        if (batch == null || next == batch.size()) {
            batch = batches.next();
            next = 0;
        }
        System.arraycopy(batch.dense(), next * dimension, numbers, 0, dimension);
        numbers[dimension] = batch.label(next, 0);
        numbers[dimension + 1] = batch.label(next, 1);
        next++;
    }
}
