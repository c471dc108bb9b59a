package io.fulcrum.dataset.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes parsed rows into the files of a columnar cache and keeps the statistics on the way. */
final class CacheWriter implements Closeable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final List<ColumnSchema> schema;
    private final ColumnSink[] sinks;
    private final ColumnStatistics[] statistics;
    private final List<Map<String, Integer>> vocabularies = new ArrayList<>();
    private final List<List<String>> vocabularyValues = new ArrayList<>();
    private final ColumnSink splits;
    private final long[] splitRows = new long[3];
    private long rows;

    CacheWriter(Path dir, List<ColumnSchema> schema) throws IOException {
        this.dir = dir;
        this.schema = schema;
        this.sinks = new ColumnSink[schema.size()];
        this.statistics = new ColumnStatistics[schema.size()];
        for (int c = 0; c < schema.size(); c++) {
            vocabularies.add(new HashMap<>());
            vocabularyValues.add(new ArrayList<>());
            if (schema.get(c).role() != ColumnRole.IGNORED) {
                sinks[c] = new ColumnSink(dir.resolve(fileName(c)));
                statistics[c] = new ColumnStatistics();
            }
        }
        this.splits = new ColumnSink(dir.resolve(CacheMeta.SPLIT_FILE));
    }

    private String fileName(int column) {
        return String.format("%03d.%s", column, schema.get(column).role() == ColumnRole.CATEGORICAL ? "i32" : "f32");
    }

    long rows() {
        return rows;
    }

    void append(CacheRow row, int split) throws IOException {
        for (int c = 0; c < sinks.length; c++) {
            ColumnSink sink = sinks[c];
            if (sink == null) {
                continue;
            }
            if (schema.get(c).role() == ColumnRole.CATEGORICAL) {
                String value = row.category(c);
                if (value == null) {
                    statistics[c].addMissing();
                    sink.putInt(-1);
                } else {
                    statistics[c].addPresent();
                    sink.putInt(idOf(c, value));
                }
            } else {
                float value = row.number(c);
                statistics[c].add(value);
                sink.putFloat(value);
            }
        }
        splits.putByte((byte) split);
        splitRows[split]++;
        rows++;
    }

    private int idOf(int column, String value) {
        Map<String, Integer> vocabulary = vocabularies.get(column);
        Integer id = vocabulary.get(value);
        if (id == null) {
            id = vocabulary.size();
            vocabulary.put(value, id);
            vocabularyValues.get(column).add(value);
        }
        return id;
    }

    /** Closes the column files and writes the vocabularies and {@code meta.json}. */
    CacheMeta finish() throws IOException {
        close();
        List<CacheMeta.CachedColumn> columns = new ArrayList<>();
        for (int c = 0; c < schema.size(); c++) {
            ColumnSchema column = schema.get(c);
            if (sinks[c] == null) {
                continue;
            }
            String vocabularyFile = null;
            if (column.role() == ColumnRole.CATEGORICAL) {
                vocabularyFile = String.format("%03d.vocab", c);
                Files.write(dir.resolve(vocabularyFile), vocabularyValues.get(c), StandardCharsets.UTF_8);
            }
            ColumnStatistics stats = statistics[c];
            boolean numeric = column.role() != ColumnRole.CATEGORICAL;
            columns.add(new CacheMeta.CachedColumn(
                    column.name(),
                    column.role(),
                    fileName(c),
                    vocabularyFile,
                    vocabularyValues.get(c).size(),
                    stats.missing(),
                    numeric ? stats.mean() : Double.NaN,
                    numeric ? stats.std() : Double.NaN));
        }
        CacheMeta meta = new CacheMeta(CacheMeta.FORMAT_VERSION, rows, splitRows.clone(), columns);
        JSON.writeValue(dir.resolve(CacheMeta.FILE_NAME).toFile(), meta);
        return meta;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (ColumnSink sink : sinks) {
            if (sink != null) {
                try {
                    sink.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        splits.close();
        if (failure != null) {
            throw failure;
        }
    }
}
