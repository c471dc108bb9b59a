package io.fulcrum.bench;

import io.fulcrum.dataset.io.BadRowPolicy;
import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.CsvFormat;
import io.fulcrum.dataset.io.CsvImport;
import io.fulcrum.dataset.io.ImportReport;
import io.fulcrum.dataset.io.SplitSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.springframework.util.FileSystemUtils;

/**
 * Measures CSV import speed on a generated file shaped like recommendation logs: 2 labels, 10
 * categorical ids and the rest dense floats. Used by {@code fulcrum.jar bench import}.
 */
public final class ImportBenchmark {

    private static final int LABELS = 2;
    private static final int CATEGORICAL = 10;

    private ImportBenchmark() {}

    /**
     * @param rows rows in the generated file
     * @param columns columns in total (at least 13)
     */
    public static Result run(Path workDir, int rows, int columns) throws IOException {
        Files.createDirectories(workDir);
        Path csv = workDir.resolve("bench.csv");
        Path cache = workDir.resolve("bench-cache");
        FileSystemUtils.deleteRecursively(cache);
        List<ColumnSchema> schema = schema(columns);
        write(csv, schema, rows);
        long bytes = Files.size(csv);
        System.gc();
        long start = System.nanoTime();
        ImportReport report = new CsvImport(
                        schema, CsvFormat.COMMA_WITH_HEADER, SplitSpec.Random.DEFAULT, BadRowPolicy.REJECT)
                .run(csv, cache, lines -> {});
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        FileSystemUtils.deleteRecursively(cache);
        Files.delete(csv);
        return new Result(
                report.meta().rows(),
                columns,
                bytes,
                seconds,
                report.meta().rows() / seconds,
                bytes / seconds / 1e6,
                heapMb);
    }

    private static List<ColumnSchema> schema(int columns) {
        if (columns < LABELS + CATEGORICAL + 1) {
            throw new IllegalArgumentException("columns: must be at least " + (LABELS + CATEGORICAL + 1));
        }
        List<ColumnSchema> schema = new ArrayList<>();
        for (int i = 0; i < LABELS; i++) {
            schema.add(new ColumnSchema("label_" + i, ColumnRole.LABEL));
        }
        for (int i = 0; i < CATEGORICAL; i++) {
            schema.add(new ColumnSchema("cat_" + i, ColumnRole.CATEGORICAL));
        }
        for (int i = schema.size(); i < columns; i++) {
            schema.add(new ColumnSchema("dense_" + i, ColumnRole.DENSE));
        }
        return schema;
    }

    private static void write(Path csv, List<ColumnSchema> schema, int rows) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write(String.join(",", schema.stream().map(ColumnSchema::name).toList()));
            out.newLine();
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                for (int c = 0; c < schema.size(); c++) {
                    if (c > 0) {
                        line.append(',');
                    }
                    switch (schema.get(c).role()) {
                        case LABEL -> line.append(random.nextInt(2));
                        case CATEGORICAL -> line.append(random.nextInt(1 << (4 + c)));
                        default -> line.append((float) random.nextDouble(-3, 3));
                    }
                }
                out.append(line).append('\n');
            }
        }
    }

    /** One measurement: rows/s and MB/s of text parsed into the cache, and the heap in use after. */
    public record Result(
            long rows,
            int columns,
            long fileBytes,
            double seconds,
            double rowsPerSecond,
            double megabytesPerSecond,
            long heapUsedMb) {}
}
