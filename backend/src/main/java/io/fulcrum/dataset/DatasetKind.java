package io.fulcrum.dataset;

/** Where a dataset's samples come from. */
public enum DatasetKind {
    /** The engine's synthetic two-task generator (brief §7), stored as its spec and seed. */
    SYNTHETIC,
    /** The video-recommendation simulator, stored as its spec and seed. */
    VIDEO_SIMULATOR,
    /** A delimited text file, optionally gzip-compressed. */
    FILE
}
