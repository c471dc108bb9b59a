/**
 * The file and cache formats behind datasets: streaming CSV reading, schema inference, the columnar
 * cache, splits, preprocessing and profiles. Plain Java, exposed to other modules as the dataset
 * module's "io" interface.
 */
@org.springframework.modulith.NamedInterface("io")
package io.fulcrum.dataset.io;
