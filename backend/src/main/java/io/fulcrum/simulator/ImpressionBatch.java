package io.fulcrum.simulator;

/**
 * A block of impressions in row-major primitive arrays, ready to be copied into tensors or a
 * columnar cache: row r's dense values are {@code dense[r * denseWidth() .. (r + 1) * denseWidth())},
 * and likewise for categorical values and labels (column order: {@link ImpressionColumns}). Reused
 * from batch to batch by {@link ImpressionGenerator#fill(ImpressionBatch)}.
 */
public final class ImpressionBatch {

    private final int capacity;
    private final int denseWidth;
    private final float[] dense;
    private final int[] categorical;
    private final float[] labels;
    private int size;

    public ImpressionBatch(ImpressionColumns columns, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.denseWidth = columns.denseCount();
        this.dense = new float[capacity * denseWidth];
        this.categorical = new int[capacity * ImpressionColumns.CATEGORICAL_COUNT];
        this.labels = new float[capacity * ImpressionColumns.LABEL_COUNT];
    }

    public int capacity() {
        return capacity;
    }

    /** Rows filled by the last fill; the arrays beyond them hold stale values. */
    public int size() {
        return size;
    }

    void setSize(int size) {
        this.size = size;
    }

    public int denseWidth() {
        return denseWidth;
    }

    public int categoricalWidth() {
        return ImpressionColumns.CATEGORICAL_COUNT;
    }

    public int labelWidth() {
        return ImpressionColumns.LABEL_COUNT;
    }

    public float[] dense() {
        return dense;
    }

    public int[] categorical() {
        return categorical;
    }

    public float[] labels() {
        return labels;
    }

    public float dense(int row, int column) {
        return dense[row * denseWidth + column];
    }

    public int categorical(int row, int column) {
        return categorical[row * ImpressionColumns.CATEGORICAL_COUNT + column];
    }

    public float label(int row, int column) {
        return labels[row * ImpressionColumns.LABEL_COUNT + column];
    }
}
