package io.fulcrum.dataset.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
     * Imports {@code file} into the new directory {@code target}, reporting the bytes of the file read
     * so far to {@code progress} now and then.
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
            boolean more = reader.advance();
            if (more && format.header()) {
                checkHeader(reader.fieldCount(), reader.lineNumber());
                more = reader.advance();
            }
            for (; more; more = reader.advance()) {
                ImportProblem problem = parser.parse(reader);
                int rowSplit = -1;
                if (problem == null) {
                    String splitValue = splitColumn < 0 ? null : reader.field(splitColumn);
                    rowSplit = split.splitOf(writer.rows(), splitValue);
                    if (rowSplit < 0) {
                        problem = new ImportProblem(
                                reader.lineNumber(),
                                split.column(),
                                "value '" + splitValue.strip() + "' belongs to no split");
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
                    progress.accept(reader.bytesRead());
                }
            }
            if (writer.rows() == 0) {
                throw new ImportRejectedException("the file holds no usable row", problems);
            }
            CacheMeta meta = writer.finish();
            progress.accept(reader.bytesRead());
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

    private void checkHeader(int columns, long line) {
        if (columns != schema.size()) {
            throw new ImportRejectedException(
                    "the header has " + columns + " columns but the schema " + schema.size(),
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
    static final class RowParser implements CacheRow {

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

        ImportProblem parse(CsvReader reader) {
            long line = reader.lineNumber();
            if (reader.fieldCount() != schema.size()) {
                return new ImportProblem(
                        line, null, "has " + reader.fieldCount() + " columns, expected " + schema.size());
            }
            for (int c = 0; c < schema.size(); c++) {
                ColumnSchema column = schema.get(c);
                switch (column.role()) {
                    case IGNORED -> {}
                    case CATEGORICAL ->
                        categories[c] =
                                reader.isMissing(c) ? null : reader.field(c).strip();
                    case LABEL -> {
                        if (reader.isMissing(c)) {
                            return new ImportProblem(line, column.name(), "the label is missing");
                        }
                        if (column.isTextLabel()) {
                            numbers[c] =
                                    positives.get(c).contains(reader.field(c).strip()) ? 1f : 0f;
                        } else if (Float.isNaN(numbers[c] = reader.floatField(c))) {
                            return notANumber(reader, line, c);
                        }
                    }
                    case DENSE -> {
                        if (reader.isMissing(c)) {
                            numbers[c] = Float.NaN;
                        } else if (Float.isNaN(numbers[c] = reader.floatField(c))) {
                            return notANumber(reader, line, c);
                        }
                    }
                    case WEIGHT -> {
                        ImportProblem problem = weight(reader, line, c);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
            }
            return null;
        }

        /** A sample weight scales the training loss: it must be there, finite and not negative. */
        private ImportProblem weight(CsvReader reader, long line, int c) {
            String name = schema.get(c).name();
            if (reader.isMissing(c)) {
                return new ImportProblem(line, name, "the weight is missing (or NaN)");
            }
            float value = reader.floatField(c);
            if (Float.isNaN(value)) {
                // FastFloat answers NaN for text and for infinities alike
                return new ImportProblem(
                        line, name, "'" + reader.field(c).strip() + "' is not a finite number, as a weight must be");
            }
            if (value < 0f) {
                return new ImportProblem(
                        line, name, "the weight " + reader.field(c).strip() + " is negative");
            }
            numbers[c] = value;
            return null;
        }

        private ImportProblem notANumber(CsvReader reader, long line, int column) {
            return new ImportProblem(
                    line, schema.get(column).name(), "'" + reader.field(column).strip() + "' is not a number");
        }

        @Override
        public float number(int column) {
            return numbers[column];
        }

        @Override
        public String category(int column) {
            return categories[column];
        }
    }
}
