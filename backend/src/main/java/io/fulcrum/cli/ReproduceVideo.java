package io.fulcrum.cli;

import io.fulcrum.dataset.SimulatorDatasetSpec;
import io.fulcrum.dataset.SimulatorRows;
import io.fulcrum.dataset.io.ColumnarCache;
import io.fulcrum.dataset.io.GeneratedImport;
import io.fulcrum.dataset.io.Preprocessing;
import io.fulcrum.dataset.io.SplitSpec;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.simulator.VideoWorldSpec;
import java.io.PrintStream;
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
        CliArgs a = new CliArgs(args, SweepOptions.namesWith("impressions", "users", "videos", "tasks"));
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
        SweepOptions options = SweepOptions.parse(a, DEFAULT_MODELS, 10, 2);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tasks", tasks);
        settings.put("impressions", impressions);
        settings.put("users", users);
        settings.put("videos", videos);
        settings.put(
                "split",
                "80/10/10 train/validation/test, random by seed; world seed = seed, stream seed = 1000 + seed");
        options.describe(settings);

        VideoWorldSpec world =
                VideoWorldSpec.defaults().withPopulation(VideoWorldSpec.Population.ofSize(users, videos));
        List<TrainingSplits.TaskColumns> columns =
                tasks.stream().map(TASKS::get).toList();
        Map<String, List<ReproductionReport.Run>> runs = options.reproduction(err)
                .run(
                        options.models(),
                        options.seeds(),
                        seed -> load(world, impressions, seed, columns, options.maxEmbeddingDim()));
        ReproductionReport.Report report = new ReproductionReport.Report(
                "video",
                settings,
                SplitsReproduction.rows(Map.of("tasks", tasks), options.models(), tasks, runs, options.tolerance()));
        if (options.format().equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            SplitsReproduction.printTable(
                    out,
                    "video simulator reproduction (test AUC for binary tasks, MSE for vcr; MTL gain > 0 is better;"
                            + " mean ± std over seeds)",
                    report,
                    tasks);
        }
        return 0;
    }

    private static TrainingSplits load(
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
