package io.fulcrum.simulator;

/** What an impression column is to a model. */
public enum ColumnKind {
    /** A float feature. */
    DENSE,
    /** An integer id in {@code 0 .. cardinality − 1}, for an embedding. */
    CATEGORICAL,
    /** A target; NaN where the label is outside its sample space. */
    LABEL
}
