/**
 * Datasets: the registry of imported files (CSV, optionally gzip-compressed) with their schema,
 * splits, train-only preprocessing and profile. Samples live in a columnar cache under the data
 * directory ({@code io.fulcrum.dataset.io}); PostgreSQL holds the metadata.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Datasets")
package io.fulcrum.dataset;
