package io.fulcrum.cli;

import io.fulcrum.bench.EventBenchmark;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench events}: event ingestion over real HTTP into a throw-away server and embedded
 * PostgreSQL, with re-posted duplicate batches, the count check, and the results query over what was
 * ingested. Exits 1 when the count check fails.
 */
final class BenchEvents {

    private final PrintStream out;
    private final PrintStream err;

    BenchEvents(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a =
                new CliArgs(args, Set.of("events", "batch", "threads", "duplicates", "users", "attributed", "format"));
        double duplicates = a.decimal("duplicates", 0.1);
        if (!(duplicates >= 0 && duplicates <= 1)) {
            throw new IllegalArgumentException("--duplicates: must be in 0..1, got " + duplicates);
        }
        double attributed = a.decimal("attributed", 1.0);
        if (!(attributed > 0 && attributed <= 1)) {
            throw new IllegalArgumentException("--attributed: must be in (0, 1], got " + attributed);
        }
        EventBenchmark.Settings settings = new EventBenchmark.Settings(
                a.integer("events", 1_000_000, 1),
                a.integer("batch", 1000, 1),
                a.integer("threads", 4, 1),
                duplicates,
                a.integer("users", 100_000, 2),
                attributed);
        String format = a.format();
        Map<String, Object> result = new EventBenchmark(err).run(settings);
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(result));
        } else {
            result.forEach((k, v) -> out.printf("%-28s %s%n", k, v));
        }
        return "PASS".equals(result.get("countCheck")) ? 0 : 1;
    }
}
