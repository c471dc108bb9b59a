package io.fulcrum.dataset.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Read access to a columnar cache. Column files are memory-mapped, so opening is cheap and training
 * reads pages from the OS cache instead of re-parsing text.
 */
public final class ColumnarCache {

    private final Path dir;
    private final CacheMeta meta;

    private ColumnarCache(Path dir, CacheMeta meta) {
        this.dir = dir;
        this.meta = meta;
    }

    public static ColumnarCache open(Path dir) throws IOException {
        CacheMeta meta =
                CacheWriter.JSON.readValue(dir.resolve(CacheMeta.FILE_NAME).toFile(), CacheMeta.class);
        if (meta.formatVersion() != CacheMeta.FORMAT_VERSION) {
            throw new IOException("cache " + dir + " has format " + meta.formatVersion() + ", expected "
                    + CacheMeta.FORMAT_VERSION + "; import the dataset again");
        }
        return new ColumnarCache(dir, meta);
    }

    public CacheMeta meta() {
        return meta;
    }

    public long rows() {
        return meta.rows();
    }

    public CacheMeta.CachedColumn column(String name) {
        return meta.columns().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("the dataset has no column '" + name + "'"));
    }

    public boolean hasColumn(String name) {
        return meta.columns().stream().anyMatch(c -> c.name().equals(name));
    }

    /** The values of a numeric column; NaN where a value is missing. */
    public FloatBuffer floats(String name) throws IOException {
        CacheMeta.CachedColumn column = column(name);
        if (column.categorical()) {
            throw new IllegalArgumentException("column '" + name + "' is categorical");
        }
        return map(column.file()).asFloatBuffer();
    }

    /** The vocabulary ids of a categorical column; -1 where a value is missing. */
    public IntBuffer ids(String name) throws IOException {
        CacheMeta.CachedColumn column = column(name);
        if (!column.categorical()) {
            throw new IllegalArgumentException("column '" + name + "' is not categorical");
        }
        return map(column.file()).asIntBuffer();
    }

    /** The raw values of a categorical column, indexed by id. */
    public List<String> vocabulary(String name) throws IOException {
        CacheMeta.CachedColumn column = column(name);
        if (!column.categorical()) {
            throw new IllegalArgumentException("column '" + name + "' is not categorical");
        }
        return Files.readAllLines(dir.resolve(column.vocabularyFile()), StandardCharsets.UTF_8);
    }

    /** The split of every row: 0 train, 1 validation, 2 test. */
    public ByteBuffer splits() throws IOException {
        return map(CacheMeta.SPLIT_FILE);
    }

    private ByteBuffer map(String file) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(file))) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
