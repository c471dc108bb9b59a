package io.fulcrum.dataset.io;

/** What a column of a dataset is for. */
public enum ColumnRole {
    /** A task's target: 0/1 for binary tasks, a value for regression tasks. */
    LABEL,
    /** A number fed to the model after standardisation. */
    DENSE,
    /** A value looked up in an embedding table (ids, categories, buckets). */
    CATEGORICAL,
    /** The per-sample weight (e.g. the census instance weight); never a feature. */
    WEIGHT,
    /** Read past and dropped. */
    IGNORED
}
