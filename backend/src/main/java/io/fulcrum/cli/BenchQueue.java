package io.fulcrum.cli;

import io.fulcrum.bench.QueueBenchmark;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench queue}: the run queue's and the metric store's overheads, measured by
 * {@link QueueBenchmark} on a throw-away server and embedded PostgreSQL.
 */
final class BenchQueue {

    private final PrintStream out;
    private final PrintStream err;

    BenchQueue(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a =
                new CliArgs(args, Set.of("runs", "claimers", "points", "series", "latency-samples", "poll", "format"));
        QueueBenchmark.Settings settings = new QueueBenchmark.Settings(
                a.integer("runs", 1000, 1),
                a.integer("claimers", 4, 1),
                a.integer("points", 1_000_000, 1000),
                a.integer("series", 100_000, 1000),
                a.integer("latency-samples", 20, 1),
                a.string("poll", "1s"));
        String format = a.format();
        Map<String, Object> result = new QueueBenchmark(err).run(settings);
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(result));
        } else {
            result.forEach((k, v) -> out.printf("%-32s %s%n", k, v));
        }
        return 0;
    }
}
