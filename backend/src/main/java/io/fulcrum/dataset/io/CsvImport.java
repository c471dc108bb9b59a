package io.fulcrum.dataset.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.springframework.util.FileSystemUtils;

/**
 * Parses a delimited file once into a columnar cache: float32 for numbers, int32 vocabulary ids for
 * categorical values, one byte per row for its split. Lines that cannot be used are handled by the
 * {@link BadRowPolicy}; a rejected import leaves nothing behind.
 */
public final class CsvImport {

    /** How many problems a report lists; the count covers all of them. */
    public static final int REPORTED_PROBLEMS = 100;

    private static final Set<String> MISSING = Set.of("", "?", "na", "nan", "null", "none");

    private final List<ColumnSchema> schema;
    private final CsvFormat format;
    private final SplitSpec split;
    private final BadRowPolicy policy;

    public CsvImport(List<ColumnSchema> schema, CsvFormat format, SplitSpec split, BadRowPolicy policy) {
        this.schema = List.copyOf(schema);
        this.format = format;
        this.split = split;
        this.policy = policy;
    }

    /**
     * Imports {@code file} into the new directory {@code target}, reporting the lines read so far to
     * {@code progress} now and then.
     */
    public ImportReport run(Path file, Path target, LongConsumer progress) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".importing-" + UUID.randomUUID());
        Files.createDirectories(staging);
        try {
            ImportReport report = parse(file, staging, progress);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return report;
        } catch (IOException | RuntimeException e) {
            FileSystemUtils.deleteRecursively(staging);
            throw e;
        }
    }

    private ImportReport parse(Path file, Path staging, LongConsumer progress) throws IOException {
        int splitColumn = splitColumnIndex();
        try (CsvReader reader = CsvReader.open(file, format);
                CacheWriter writer = new CacheWriter(staging, schema)) {
            List<ImportProblem> problems = new ArrayList<>();
            long skipped = 0;
            RowParser parser = new RowParser(schema);
            List<String> fields = reader.next();
            if (fields != null && format.header()) {
                checkHeader(fields, reader.lineNumber());
                fields = reader.next();
            }
            for (; fields != null; fields = reader.next()) {
                ImportProblem problem = parser.parse(fields, reader.lineNumber());
                int rowSplit = -1;
                if (problem == null) {
                    rowSplit = split.splitOf(writer.rows(), splitColumn < 0 ? null : fields.get(splitColumn));
                    if (rowSplit < 0) {
                        problem = new ImportProblem(
                                reader.lineNumber(),
                                split.column(),
                                "value '" + fields.get(splitColumn).strip() + "' belongs to no split");
                    }
                }
                if (problem != null) {
                    skipped++;
                    if (problems.size() < REPORTED_PROBLEMS) {
                        problems.add(problem);
                    }
                    rejectIfOverPolicy(problem, skipped, problems);
                    continue;
                }
                writer.append(parser, rowSplit);
                if (writer.rows() % 65_536 == 0) {
                    progress.accept(reader.lineNumber());
                }
            }
            if (writer.rows() == 0) {
                throw new ImportRejectedException("the file holds no usable row", problems);
            }
            CacheMeta meta = writer.finish();
            progress.accept(reader.lineNumber());
            return new ImportReport(meta, skipped, problems);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void rejectIfOverPolicy(ImportProblem problem, long skipped, List<ImportProblem> problems) {
        if (policy.mode() == BadRowPolicy.Mode.REJECT) {
            throw new ImportRejectedException("import rejected at " + problem, List.of(problem));
        }
        if (skipped > policy.maxSkipped()) {
            throw new ImportRejectedException(
                    "import rejected: more than " + policy.maxSkipped() + " bad lines (the last at " + problem + ")",
                    problems);
        }
    }

    private void checkHeader(List<String> header, long line) {
        if (header.size() != schema.size()) {
            throw new ImportRejectedException(
                    "the header has " + header.size() + " columns but the schema " + schema.size(),
                    List.of(new ImportProblem(line, null, "expected " + schema.size() + " columns")));
        }
    }

    private int splitColumnIndex() {
        if (split.column() == null) {
            return -1;
        }
        for (int i = 0; i < schema.size(); i++) {
            if (schema.get(i).name().equals(split.column())) {
                return i;
            }
        }
        throw new IllegalArgumentException("split column '" + split.column() + "' is not in the schema");
    }

    /** Parses one line into scratch arrays so that a bad line writes nothing. */
    static final class RowParser {

        private final List<ColumnSchema> schema;
        private final float[] numbers;
        private final String[] categories;
        private final List<Set<String>> positives = new ArrayList<>();

        RowParser(List<ColumnSchema> schema) {
            this.schema = schema;
            this.numbers = new float[schema.size()];
            this.categories = new String[schema.size()];
            for (ColumnSchema column : schema) {
                positives.add(new HashSet<>(column.positiveValues()));
            }
        }

        ImportProblem parse(List<String> fields, long line) {
            if (fields.size() != schema.size()) {
                return new ImportProblem(line, null, "has " + fields.size() + " columns, expected " + schema.size());
            }
            for (int c = 0; c < schema.size(); c++) {
                ColumnSchema column = schema.get(c);
                String raw = fields.get(c).strip();
                switch (column.role()) {
                    case IGNORED -> {}
                    case CATEGORICAL -> categories[c] = isMissing(raw) ? null : raw;
                    case LABEL -> {
                        if (isMissing(raw)) {
                            return new ImportProblem(line, column.name(), "the label is missing");
                        }
                        if (column.isTextLabel()) {
                            numbers[c] = positives.get(c).contains(raw) ? 1f : 0f;
                        } else if (Float.isNaN(numbers[c] = parseNumber(raw))) {
                            return new ImportProblem(line, column.name(), "'" + raw + "' is not a number");
                        }
                    }
                    case DENSE, WEIGHT -> {
                        if (isMissing(raw)) {
                            numbers[c] = Float.NaN;
                        } else if (Float.isNaN(numbers[c] = parseNumber(raw))) {
                            return new ImportProblem(line, column.name(), "'" + raw + "' is not a number");
                        }
                    }
                }
            }
            return null;
        }

        float number(int column) {
            return numbers[column];
        }

        String category(int column) {
            return categories[column];
        }

        private static boolean isMissing(String raw) {
            return raw.length() <= 4 && MISSING.contains(raw.toLowerCase(Locale.ROOT));
        }

        /** NaN for text that is not a finite number. */
        private static float parseNumber(String raw) {
            try {
                float value = Float.parseFloat(raw);
                return Float.isFinite(value) ? value : Float.NaN;
            } catch (NumberFormatException e) {
                return Float.NaN;
            }
        }
    }
}
