package io.fulcrum.dataset.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first rows of a file and the schema Fulcrum guesses from them; the user confirms or overrides
 * the roles before importing.
 */
public record FilePreview(List<String> columnNames, List<List<String>> rows, List<ColumnSchema> inferredSchema) {

    public static final int DEFAULT_ROWS = 20;
    private static final int INFERENCE_ROWS = 1000;

    public static FilePreview of(Path file, CsvFormat format, int shownRows) throws IOException {
        List<List<String>> sample = new ArrayList<>();
        List<String> names = null;
        try (CsvReader reader = CsvReader.open(file, format)) {
            List<String> fields;
            while (sample.size() < Math.max(shownRows, INFERENCE_ROWS) && (fields = reader.next()) != null) {
                if (names == null && format.header()) {
                    names = List.copyOf(fields);
                } else {
                    sample.add(List.copyOf(fields));
                }
            }
        }
        if (names == null) {
            names = positionalNames(sample.isEmpty() ? 0 : sample.get(0).size());
        }
        List<ColumnSchema> schema = SchemaInference.infer(names, sample);
        return new FilePreview(names, List.copyOf(sample.subList(0, Math.min(shownRows, sample.size()))), schema);
    }

    /** Files without a header get names c1, c2, … so columns can still be referred to. */
    public static List<String> positionalNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            names.add("c" + i);
        }
        return names;
    }
}
