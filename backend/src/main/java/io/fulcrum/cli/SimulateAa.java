package io.fulcrum.cli;

import io.fulcrum.rollout.RelativeLift;
import io.fulcrum.rollout.RolloutMetric;
import io.fulcrum.simulator.VideoWorld;
import io.fulcrum.simulator.VideoWorldSpec;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code simulate-aa}: A/A calibration (and power, with {@code --true-lift}) of the A/B analyses,
 * in-process: {@link AaSimulation} draws users of the video world and reads every repeat the way
 * the results endpoint would, at a fixed horizon once, at a fixed horizon at every look, and
 * sequentially at every look, each with and without CUPED. No server, no database.
 */
final class SimulateAa {

    private final PrintStream out;
    private final PrintStream err;

    SimulateAa(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) throws Exception {
        CliArgs a = new CliArgs(
                args,
                Set.of(
                        "repeats",
                        "users",
                        "looks",
                        "days",
                        "pre-days",
                        "sessions",
                        "limit",
                        "patience",
                        "true-lift",
                        "seed",
                        "world-seed",
                        "threads",
                        "format"));
        String format = a.format();
        double sessions = a.decimal("sessions", 1.0);
        double patience = a.decimal("patience", 0.85);
        if (!(sessions > 0 && sessions <= 20)) {
            throw new IllegalArgumentException("--sessions: sessions per user and day, in (0, 20]");
        }
        if (!(patience >= 0 && patience <= 1)) {
            throw new IllegalArgumentException("--patience: the chance to look at the next item, in [0, 1]");
        }
        double trueLift = lift(a.string("true-lift", "0"));
        AaSimulation.Settings settings = new AaSimulation.Settings(
                a.integer("repeats", 500, 1),
                a.integer("users", 10_000, 4),
                a.integer("looks", 20, 1),
                a.integer("days", 7, 1),
                a.integer("pre-days", 14, 0),
                sessions,
                a.integer("limit", 10, 1),
                patience,
                trueLift,
                a.integer("seed", 1, 0),
                a.integer("threads", Runtime.getRuntime().availableProcessors(), 1));
        if (settings.preDays() > 90) {
            throw new IllegalArgumentException("--pre-days: at most 90, the longest pre-exposure window");
        }
        VideoWorld world = VideoWorld.build(VideoWorldSpec.defaults(), a.integer("world-seed", 1, 0));
        long t0 = System.nanoTime();
        AaSimulation.Tally tally = new AaSimulation(world, settings).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> report = report(settings, tally, seconds);
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            printTable(settings, tally, seconds);
        }
        err.printf(Locale.ROOT, "simulate-aa: %d repeats in %.1f s%n", settings.repeats(), seconds);
        return 0;
    }

    /** "2%" or 0.02; within (−1, 1). */
    static double lift(String value) {
        double lift;
        try {
            lift = CliArgs.fraction(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--true-lift: a relative lift such as 2% or 0.02, got '" + value + "'");
        }
        if (!(lift > -1 && lift < 1)) {
            throw new IllegalArgumentException("--true-lift: must be in (−100%, 100%)");
        }
        return lift;
    }

    /** Wilson's 95 % interval of a proportion k / n. */
    static double[] wilson(long k, long n) {
        double z = RelativeLift.z(0.95);
        double p = (double) k / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {centre - half, centre + half};
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Map<String, Object> rate(long k, long n) {
        double[] ci = wilson(k, n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rate", (double) k / n);
        r.put("low", ci[0]);
        r.put("high", ci[1]);
        r.put("count", k);
        return r;
    }

    static Map<String, Object> report(AaSimulation.Settings s, AaSimulation.Tally t, double seconds) {
        boolean aa = s.trueLift() == 0;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("repeats", s.repeats());
        report.put("users", s.users());
        report.put("looks", s.looks());
        report.put("days", s.days());
        report.put("preDays", s.preDays());
        report.put("sessionsPerDay", s.sessionsPerDay());
        report.put("trueLift", s.trueLift());
        report.put("seed", s.seed());
        report.put("measures", aa ? "falsePositiveRate" : "power");
        List<Map<String, Object>> readings = new java.util.ArrayList<>();
        for (int r = 0; r < AaSimulation.READINGS.size(); r++) {
            AaSimulation.Reading reading = AaSimulation.READINGS.get(r);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", reading.name());
            row.put("analysis", reading.sequential() ? "sequential" : "fixed");
            row.put("peeked", reading.peeked());
            row.put("cuped", reading.cuped());
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (int m = 0; m < AaSimulation.METRICS.size(); m++) {
                Map<String, Object> cell = new LinkedHashMap<>();
                long k = aa ? t.rejections[r][m] : t.positive[r][m];
                cell.put(aa ? "falsePositiveRate" : "power", rate(k, s.repeats()));
                cell.put("medianWidth", median(t.widths[r][m]));
                metrics.put(AaSimulation.METRICS.get(m).wire(), cell);
            }
            row.put("metrics", metrics);
            readings.add(row);
        }
        report.put("readings", readings);
        report.put("anyMetricFixedOnce", rate(t.anyMetric, s.repeats()));
        report.put("anyMetricFixedOnceHolm", rate(t.anyMetricHolm, s.repeats()));
        report.put("seconds", Math.round(seconds * 10) / 10.0);
        return report;
    }

    private void printTable(AaSimulation.Settings s, AaSimulation.Tally t, double seconds) {
        boolean aa = s.trueLift() == 0;
        out.printf(
                Locale.ROOT,
                "simulate-aa: %d repeats of %,d users (%d days, %d pre-exposure days, %.2g sessions a day), %d looks,"
                        + " true lift %s; %.0f s%n",
                s.repeats(),
                s.users(),
                s.days(),
                s.preDays(),
                s.sessionsPerDay(),
                s.looks(),
                aa ? "0 (A/A)" : String.format(Locale.ROOT, "%+.2f %%", 100 * s.trueLift()),
                seconds);
        out.println(
                aa
                        ? "false-positive rate: repeats whose 95 % interval excludes 0 at the look(s) read [Wilson 95 % interval]"
                        : "power: repeats whose 95 % interval lies above 0 at the look(s) read [Wilson 95 % interval]");
        List<RolloutMetric> metrics = AaSimulation.METRICS;
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-34s", "analysis"));
        for (RolloutMetric m : metrics) {
            header.append(String.format(Locale.ROOT, "  %-24s", m.wire()));
        }
        out.println(header);
        for (int r = 0; r < AaSimulation.READINGS.size(); r++) {
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT, "%-34s", AaSimulation.READINGS.get(r).name()));
            for (int m = 0; m < metrics.size(); m++) {
                long k = aa ? t.rejections[r][m] : t.positive[r][m];
                double[] ci = wilson(k, s.repeats());
                line.append(String.format(
                        Locale.ROOT,
                        "  %-24s",
                        String.format(
                                Locale.ROOT,
                                "%5.1f %% [%.1f, %.1f]",
                                100.0 * k / s.repeats(),
                                100 * ci[0],
                                100 * ci[1])));
            }
            out.println(line);
        }
        out.println("median width of the final look's 95 % interval of the lift (percentage points)");
        for (int r = 0; r < AaSimulation.READINGS.size(); r++) {
            if (AaSimulation.READINGS.get(r).peeked()
                    && !AaSimulation.READINGS.get(r).sequential()) {
                continue; // the same final interval as read once
            }
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT, "%-34s", AaSimulation.READINGS.get(r).name()));
            for (int m = 0; m < metrics.size(); m++) {
                line.append(String.format(
                        Locale.ROOT, "  %-24s", String.format(Locale.ROOT, "%.2f", 100 * median(t.widths[r][m]))));
            }
            out.println(line);
        }
        if (aa) {
            double[] any = wilson(t.anyMetric, s.repeats());
            double[] holm = wilson(t.anyMetricHolm, s.repeats());
            out.printf(
                    Locale.ROOT,
                    "any of the %d metrics called, fixed once: %.1f %% [%.1f, %.1f]; after Holm: %.1f %% [%.1f, %.1f]%n",
                    metrics.size(),
                    100.0 * t.anyMetric / s.repeats(),
                    100 * any[0],
                    100 * any[1],
                    100.0 * t.anyMetricHolm / s.repeats(),
                    100 * holm[0],
                    100 * holm[1]);
        }
    }
}
