package io.fulcrum.dataset.io;

import java.util.List;

/**
 * One column of a dataset file, in file order.
 *
 * @param name the column's name (the header's, a preset's, or c1, c2, … for files without a header)
 * @param role what the column is for
 * @param positiveValues for a label held as text: the values that mean 1 (all others mean 0), e.g.
 *     {@code ["50000+."]} for census income; empty when the label is a number
 */
public record ColumnSchema(String name, ColumnRole role, List<String> positiveValues) {

    public ColumnSchema {
        positiveValues = positiveValues == null ? List.of() : List.copyOf(positiveValues);
    }

    public ColumnSchema(String name, ColumnRole role) {
        this(name, role, List.of());
    }

    boolean isTextLabel() {
        return role == ColumnRole.LABEL && !positiveValues.isEmpty();
    }
}
