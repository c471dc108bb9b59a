package io.fulcrum.dataset.io;

/** One row on its way into a cache: a number for numeric columns, a raw value for categorical ones. */
interface CacheRow {

    /** NaN where missing. */
    float number(int column);

    /** null where missing. */
    String category(int column);
}
