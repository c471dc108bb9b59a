package io.fulcrum.cli;

import io.fulcrum.bench.AssignBenchmark;
import io.fulcrum.bench.RankBenchmark;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench rank} and {@code bench assign}: the ranking endpoint under open-loop load, and user
 * assignment alone, measured by {@link RankBenchmark} and {@link AssignBenchmark} on a throw-away
 * server and embedded PostgreSQL.
 */
final class BenchRank {

    private final PrintStream out;
    private final PrintStream err;

    BenchRank(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int rank(String[] args) {
        CliArgs a = new CliArgs(
                args,
                Set.of(
                        "candidates",
                        "rate",
                        "seconds",
                        "warmup",
                        "threads",
                        "impressions",
                        "epochs",
                        "torch-threads",
                        "windows",
                        "format"));
        RankBenchmark.Settings settings = new RankBenchmark.Settings(
                a.integer("candidates", 200, 1),
                a.integer("rate", 200, 1),
                a.integer("seconds", 30, 1),
                a.integer("warmup", 120, 1),
                a.integer("threads", 32, 1),
                a.integer("impressions", 100_000, 1000),
                a.integer("epochs", 2, 1),
                a.integer("torch-threads", -1, 0),
                a.integer("windows", 1, 1));
        String format = a.format();
        print(new RankBenchmark(err).run(settings), format);
        return 0;
    }

    int assign(String[] args) {
        CliArgs a = new CliArgs(args, Set.of("users", "warmup", "format"));
        AssignBenchmark.Settings settings =
                new AssignBenchmark.Settings(a.integer("users", 1_000_000, 1), a.integer("warmup", 200_000, 0));
        String format = a.format();
        print(new AssignBenchmark(err).run(settings), format);
        return 0;
    }

    private void print(Map<String, Object> result, String format) {
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(result));
        } else {
            result.forEach((k, v) -> out.printf("%-20s %s%n", k, v));
        }
    }
}
