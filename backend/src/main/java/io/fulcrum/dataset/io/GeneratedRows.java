package io.fulcrum.dataset.io;

import java.util.List;

/** Rows produced by a generator rather than read from a file (the simulator, the synthetic recipe). */
public interface GeneratedRows {

    List<ColumnSchema> schema();

    long rows();

    /**
     * Writes the next row into {@code numbers} (numeric columns, NaN where missing) and {@code
     * categories} (categorical columns), both indexed like {@link #schema()}.
     */
    void next(float[] numbers, String[] categories);
}
