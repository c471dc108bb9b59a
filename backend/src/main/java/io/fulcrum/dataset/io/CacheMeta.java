package io.fulcrum.dataset.io;

import java.util.List;

/**
 * The description of a columnar cache, stored as {@code meta.json} beside its column files.
 *
 * @param formatVersion bumped whenever the file layout changes
 * @param rows rows in every column file
 * @param splitRows rows in train, validation and test
 * @param columns the cached columns (ignored columns are not cached)
 */
public record CacheMeta(int formatVersion, long rows, long[] splitRows, List<CachedColumn> columns) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "meta.json";
    public static final String SPLIT_FILE = "split.u8";

    /**
     * One cached column.
     *
     * @param name the column's name
     * @param role its role
     * @param file the file of its values: float32 for numbers, int32 vocabulary ids for categorical
     *     columns (-1 = missing), little-endian
     * @param vocabularyFile for categorical columns, the file listing the raw values, one per line,
     *     in id order; null otherwise
     * @param vocabularySize the number of distinct raw values
     * @param missing rows without a value
     * @param mean the mean of numeric columns over present values
     * @param std the population standard deviation of numeric columns
     */
    public record CachedColumn(
            String name,
            ColumnRole role,
            String file,
            String vocabularyFile,
            int vocabularySize,
            long missing,
            double mean,
            double std) {

        public boolean categorical() {
            return role == ColumnRole.CATEGORICAL;
        }
    }
}
