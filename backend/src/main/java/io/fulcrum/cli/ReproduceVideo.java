package io.fulcrum.cli;

import io.fulcrum.dataset.SimulatorDatasetSpec;
import io.fulcrum.dataset.SimulatorRows;
import io.fulcrum.dataset.io.ColumnarCache;
import io.fulcrum.dataset.io.GeneratedImport;
import io.fulcrum.dataset.io.Preprocessing;
import io.fulcrum.dataset.io.SplitSpec;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.rollout.LengthTransform;
import io.fulcrum.rollout.ScoringSpec;
import io.fulcrum.simulator.ImpressionColumns;
import io.fulcrum.simulator.TaskConflict;
import io.fulcrum.simulator.VideoWorld;
import io.fulcrum.simulator.VideoWorldSpec;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reproduce video}: the paper's Table 1 and 4 on the video-recommendation simulator (brief §5).
 * For every seed a world and a stream of impressions are drawn, split 80/10/10, and every model plus
 * the single-task baseline is trained on the chosen tasks (default VTR + VCR) and scored on the test
 * split: AUC for binary tasks, MSE for VCR.
 */
final class ReproduceVideo {

    static final String DEFAULT_MODELS = "single,shared-bottom,mmoe,cgc,ple";

    /** The video tasks by their paper names; share and comment only count after a click. */
    static final Map<String, TrainingSplits.TaskColumns> TASKS = Map.of(
            "vtr", new TrainingSplits.TaskColumns("vtr", TaskType.BINARY, "valid_view", null),
            "vcr", new TrainingSplits.TaskColumns("vcr", TaskType.REGRESSION, "completion_ratio", null),
            "ctr", new TrainingSplits.TaskColumns("ctr", TaskType.BINARY, "click", null),
            "shr", new TrainingSplits.TaskColumns("shr", TaskType.BINARY, "share", "click"),
            "cmr", new TrainingSplits.TaskColumns("cmr", TaskType.BINARY, "comment", "click"));

    private final PrintStream out;
    private final PrintStream err;

    ReproduceVideo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a = new CliArgs(
                args,
                SweepOptions.namesWith(
                        "impressions",
                        "users",
                        "videos",
                        "tasks",
                        "online-sessions",
                        "online-candidates",
                        "online-limit",
                        "online-patience",
                        "online-exponents",
                        "online-length",
                        "world"),
                SweepOptions.FLAGS);
        List<String> tasks = a.list("tasks", "vtr,vcr");
        for (String task : tasks) {
            if (!TASKS.containsKey(task)) {
                throw new IllegalArgumentException("--tasks: unknown '" + task + "' (vtr, vcr, ctr, shr, cmr)");
            }
        }
        if (tasks.size() < 2) {
            throw new IllegalArgumentException("--tasks: a multi-task comparison needs at least 2 tasks");
        }
        int impressions = a.integer("impressions", 200_000, 1000);
        VideoWorldSpec.Population defaults = VideoWorldSpec.Population.defaults();
        int users = a.integer("users", defaults.users(), 1);
        int videos = a.integer("videos", defaults.videos(), 1);
        SweepOptions options = SweepOptions.parse(a, DEFAULT_MODELS, 10, 2, "loss");
        WorldSweep sweep = WorldSweep.parse(a.string("world", null));
        checkMemory(impressions, VideoWorldSpec.Population.ofSize(users, videos).latentDimension());

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tasks", tasks);
        settings.put("impressions", impressions);
        settings.put("users", users);
        settings.put("videos", videos);
        settings.put(
                "split",
                "80/10/10 train/validation/test, random by seed; world seed = seed, stream seed = 1000 + seed");
        options.describe(settings);
        if (sweep.sweeps()) {
            settings.put("world", Map.of("knob", sweep.knob(), "values", sweep.values()));
        }

        OnlineReplay.Settings online = onlineSettings(a);
        if (online != null) {
            for (String task : online.scoring().exponents().keySet()) {
                if (!tasks.contains(task)) {
                    throw new IllegalArgumentException(
                            "--online-exponents: '" + task + "' is not one of the trained tasks " + tasks);
                }
            }
            Map<String, Object> replay = new LinkedHashMap<>();
            replay.put("sessions", online.sessions());
            replay.put("candidates", online.candidates());
            replay.put("limit", online.limit());
            replay.put("patience", online.patience());
            replay.put("scoring", online.scoring());
            settings.put("online", replay);
        }

        VideoWorldSpec base = VideoWorldSpec.defaults().withPopulation(VideoWorldSpec.Population.ofSize(users, videos));
        List<TrainingSplits.TaskColumns> columns =
                tasks.stream().map(TASKS::get).toList();
        List<VideoWorldSpec.Conflict> conflicts = sweep.conflicts();
        List<ReproductionReport.Row> rows = new ArrayList<>();
        List<Integer> firstRowOfWorld = new ArrayList<>();
        for (int w = 0; w < conflicts.size(); w++) {
            VideoWorldSpec world = base.withConflict(conflicts.get(w));
            Map<String, Object> setting = new LinkedHashMap<>();
            setting.put("tasks", tasks);
            setting.putAll(sweep.setting(w));
            setting.put("conflict", conflict(world, tasks, options.seeds()));
            if (sweep.sweeps()) {
                err.println(
                        "world " + sweep.setting(w) + ": task conflict in the ground truth " + setting.get("conflict"));
            }
            Map<String, List<ReproductionReport.Run>> runs = options.reproduction(err)
                    .run(
                            options.models(),
                            options.seeds(),
                            seed -> load(world, impressions, seed, columns, options.maxEmbeddingDim()),
                            online == null
                                    ? null
                                    : seed -> OnlineReplay.draw(VideoWorld.build(world, seed), online.withSeed(seed)));
            firstRowOfWorld.add(rows.size());
            rows.addAll(SplitsReproduction.rows(setting, options.models(), tasks, runs, options.tolerance()));
        }
        ReproductionReport.Report report = new ReproductionReport.Report("video", settings, rows);
        if (options.format().equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            for (int w = 0; w < conflicts.size(); w++) {
                int to = w + 1 < conflicts.size() ? firstRowOfWorld.get(w + 1) : rows.size();
                List<ReproductionReport.Row> ofWorld = rows.subList(firstRowOfWorld.get(w), to);
                SplitsReproduction.printTable(
                        out,
                        "video simulator reproduction" + (sweep.sweeps() ? " in the world " + sweep.setting(w) : "")
                                + " (test AUC for binary tasks, MSE for vcr; MTL gain > 0 is better;"
                                + " mean ± std over seeds); task conflict in the ground truth: "
                                + ofWorld.get(0).setting().get("conflict"),
                        new ReproductionReport.Report("video", settings, ofWorld),
                        tasks);
            }
        }
        return 0;
    }

    /**
     * Per pair of trained tasks, their conflict in the world's ground truth ({@link TaskConflict}),
     * the mean over the seeds' worlds (each seed builds its own users and videos).
     */
    static List<Map<String, Object>> conflict(VideoWorldSpec world, List<String> tasks, List<Integer> seeds) {
        List<String> labels =
                tasks.stream().map(t -> TASKS.get(t).labelColumn()).toList();
        List<List<TaskConflict>> perSeed = new ArrayList<>();
        for (int seed : seeds) {
            perSeed.add(TaskConflict.measure(VideoWorld.build(world, seed), labels, seed));
        }
        List<Map<String, Object>> pairs = new ArrayList<>();
        int pair = 0;
        for (int x = 0; x < tasks.size(); x++) {
            for (int y = x + 1; y < tasks.size(); y++, pair++) {
                int p = pair;
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("a", tasks.get(x));
                figures.put("b", tasks.get(y));
                figures.put("impressionCorrelation", meanOf(perSeed, p, TaskConflict::impressionCorrelation));
                figures.put("sessionCorrelation", meanOf(perSeed, p, TaskConflict::sessionCorrelation));
                figures.put("discordantPairs", meanOf(perSeed, p, TaskConflict::discordantPairs));
                pairs.add(figures);
            }
        }
        return pairs;
    }

    private static Double meanOf(
            List<List<TaskConflict>> perSeed, int pair, java.util.function.Function<TaskConflict, Double> figure) {
        double sum = 0;
        for (List<TaskConflict> seed : perSeed) {
            Double value = figure.apply(seed.get(pair));
            if (value == null) {
                return null;
            }
            sum += value;
        }
        return BenchTrain.round6(sum / perSeed.size());
    }

    /**
     * Refuses, before anything is built, a run whose impressions would not fit in the heap: the
     * generated columns, their training copies and the encoded splits hold each value about three
     * times. Worlds of a sweep run one after another, so a sweep needs what one world needs.
     */
    static void checkMemory(int impressions, int latentDimension) {
        long values = (long) ImpressionColumns.CATEGORICAL_COUNT
                + 3
                + 2L * latentDimension
                + 1
                + ImpressionColumns.LABEL_COUNT;
        long needed = 3L * 4 * values * impressions;
        long heap = Runtime.getRuntime().maxMemory();
        if (needed > heap * 0.8) {
            throw new IllegalArgumentException(String.format(
                    "--impressions: %,d impressions need about %,d MiB, more than this JVM's heap of %,d MiB allows;"
                            + " give java a larger -Xmx or fewer impressions",
                    impressions, needed >> 20, heap >> 20));
        }
    }

    /** The replay of {@code --online-sessions} simulated sessions, or null when it is 0 (the default). */
    static OnlineReplay.Settings onlineSettings(CliArgs a) {
        int sessions = a.integer("online-sessions", 0, 0);
        if (sessions == 0) {
            return null;
        }
        Map<String, Double> exponents = new LinkedHashMap<>();
        for (String pair : a.list("online-exponents", "")) {
            int eq = pair.indexOf('=');
            double exponent;
            try {
                exponent = Double.parseDouble(pair.substring(eq + 1));
            } catch (RuntimeException e) {
                exponent = Double.NaN;
            }
            if (eq < 1 || !(exponent >= 0) || Double.isInfinite(exponent)) {
                throw new IllegalArgumentException("--online-exponents: expected task=number pairs with numbers >= 0,"
                        + " such as vtr=1,vcr=0.5, got '" + pair + "'");
            }
            exponents.put(pair.substring(0, eq), exponent);
        }
        return new OnlineReplay.Settings(
                sessions,
                a.integer("online-candidates", 50, 1),
                a.integer("online-limit", 10, 1),
                a.decimal("online-patience", 0.85),
                new ScoringSpec(exponents, lengthTransform(a.string("online-length", "none"))),
                0);
    }

    /** {@code none}, {@code log:SCALE} or {@code sigmoid:CENTER:SCALE}, lengths in seconds. */
    static LengthTransform lengthTransform(String value) {
        String[] parts = value.split(":");
        try {
            LengthTransform transform = switch (parts[0]) {
                case "none" -> parts.length == 1 ? LengthTransform.NONE : null;
                case "log" -> parts.length == 2 ? new LengthTransform("log", null, positive(parts[1])) : null;
                case "sigmoid" ->
                    parts.length == 3 ? new LengthTransform("sigmoid", finite(parts[1]), positive(parts[2])) : null;
                default -> null;
            };
            if (transform != null) {
                return transform;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected forms
        }
        throw new IllegalArgumentException(
                "--online-length: none, log:SCALE or sigmoid:CENTER:SCALE with finite numbers and SCALE > 0, got '"
                        + value + "'");
    }

    private static double positive(String value) {
        double number = finite(value);
        if (!(number > 0)) {
            throw new NumberFormatException(value);
        }
        return number;
    }

    private static double finite(String value) {
        double number = Double.parseDouble(value);
        if (!Double.isFinite(number)) {
            throw new NumberFormatException(value);
        }
        return number;
    }

    static TrainingSplits load(
            VideoWorldSpec world, int impressions, int seed, List<TrainingSplits.TaskColumns> tasks, int embeddingDim) {
        SimulatorDatasetSpec spec = new SimulatorDatasetSpec((long) impressions, (long) seed, 1000L + seed, world);
        return SplitsReproduction.withScratchDirectory("fulcrum-video", dir -> {
            GeneratedImport.run(
                    new SimulatorRows(spec), new SplitSpec.Random(seed, 0.8, 0.1, 0.1), dir.resolve("cache"));
            ColumnarCache cache = ColumnarCache.open(dir.resolve("cache"));
            return TrainingSplits.load(cache, Preprocessing.fit(cache), tasks, embeddingDim);
        });
    }
}
