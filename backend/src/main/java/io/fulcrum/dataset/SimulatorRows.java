package io.fulcrum.dataset;

import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.GeneratedRows;
import io.fulcrum.simulator.Column;
import io.fulcrum.simulator.ColumnKind;
import io.fulcrum.simulator.Impression;
import io.fulcrum.simulator.ImpressionColumns;
import io.fulcrum.simulator.ImpressionGenerator;
import io.fulcrum.simulator.VideoWorld;
import java.util.ArrayList;
import java.util.List;

/** Impressions of the video simulator as rows of a dataset, in the simulator's column order. */
public final class SimulatorRows implements GeneratedRows {

    private final SimulatorDatasetSpec spec;
    private final ImpressionGenerator stream;
    private final List<Column> columns;
    private final List<ColumnSchema> schema = new ArrayList<>();
    private final float[] dense;
    private final int[] categorical;
    private final float[] labels;
    private final String[] idText;
    private final Impression impression = new Impression();

    public SimulatorRows(SimulatorDatasetSpec spec) {
        this.spec = spec;
        VideoWorld world = VideoWorld.build(spec.world(), spec.worldSeed());
        ImpressionColumns described = world.columns();
        this.stream = world.impressions(spec.streamSeed());
        this.columns = described.all();
        int largest = 0;
        for (Column column : columns) {
            schema.add(new ColumnSchema(column.name(), roleOf(column.kind())));
            largest = Math.max(largest, column.cardinality());
        }
        this.dense = new float[described.denseCount()];
        this.categorical = new int[described.categoricalCount()];
        this.labels = new float[described.labelCount()];
        // ids become the cache's raw values; one shared string per id keeps generation allocation-free
        this.idText = new String[largest];
        for (int i = 0; i < largest; i++) {
            idText[i] = Integer.toString(i);
        }
    }

    private static ColumnRole roleOf(ColumnKind kind) {
        return switch (kind) {
            case DENSE -> ColumnRole.DENSE;
            case CATEGORICAL -> ColumnRole.CATEGORICAL;
            case LABEL -> ColumnRole.LABEL;
        };
    }

    @Override
    public List<ColumnSchema> schema() {
        return schema;
    }

    @Override
    public long rows() {
        return spec.impressions();
    }

    @Override
    public void next(float[] numbers, String[] categories) {
        stream.next(impression);
        impression.writeDense(dense, 0);
        impression.writeCategorical(categorical, 0);
        impression.writeLabels(labels, 0);
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            switch (column.kind()) {
                case DENSE -> numbers[c] = dense[column.index()];
                case LABEL -> numbers[c] = labels[column.index()];
                case CATEGORICAL -> categories[c] = idText[categorical[column.index()]];
            }
        }
    }
}
