package io.fulcrum.cli;

import io.fulcrum.bench.ImportBenchmark;
import io.fulcrum.system.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code bench import}: how fast a CSV becomes a dataset cache. Generates a file shaped like
 * recommendation logs (2 labels, 10 categorical ids, the rest dense floats), imports it, and prints
 * rows/s, MB/s and the heap in use.
 */
final class BenchImport {

    private final PrintStream out;
    private final PrintStream err;

    BenchImport(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a = new CliArgs(args, Set.of("rows", "columns", "dir", "format"));
        int rows = a.integer("rows", 1_000_000, 1);
        int columns = a.integer("columns", 40, 13);
        String format = a.format();
        try {
            String given = a.string("dir", null);
            Path dir = given != null ? Path.of(given) : Files.createTempDirectory("fulcrum-bench-import");
            err.printf("generating and importing %,d rows x %d columns in %s%n", rows, columns, dir);
            ImportBenchmark.Result result = ImportBenchmark.run(dir, rows, columns);
            if (given == null) {
                Files.deleteIfExists(dir);
            }
            if (format.equals("json")) {
                out.println(Json.MAPPER.writeValueAsString(result));
            } else {
                out.printf("rows          %,d%n", result.rows());
                out.printf("columns       %d%n", result.columns());
                out.printf("file          %.1f MB%n", result.fileBytes() / 1e6);
                out.printf("seconds       %.2f%n", result.seconds());
                out.printf("rows/s        %,.0f%n", result.rowsPerSecond());
                out.printf("MB/s          %.1f%n", result.megabytesPerSecond());
                out.printf("heap used MB  %d%n", result.heapUsedMb());
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
