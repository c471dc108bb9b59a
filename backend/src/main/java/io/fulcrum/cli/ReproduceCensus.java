package io.fulcrum.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.fulcrum.dataset.DatasetPreset;
import io.fulcrum.dataset.io.BadRowPolicy;
import io.fulcrum.dataset.io.ColumnarCache;
import io.fulcrum.dataset.io.CsvImport;
import io.fulcrum.dataset.io.Preprocessing;
import io.fulcrum.dataset.io.SplitSpec;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.model.Architecture;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.mtl.train.TrainingConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code reproduce census}: the paper's Table 5 on the UCI census-income file. For every seed the file
 * is split 70/15/15 by that seed, preprocessed on its training part, and every model plus the
 * single-task baseline is trained (early stopping on validation) and scored by test AUC on the tasks
 * {@code income} (over 50K) and {@code never_married}.
 */
final class ReproduceCensus {

    static final String DEFAULT_MODELS = "single,mmoe,cgc,ple";
    static final List<String> TASKS = List.of("income", "never_married");

    private final PrintStream out;
    private final PrintStream err;

    ReproduceCensus(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a = new CliArgs(
                args,
                Set.of(
                        "data",
                        "models",
                        "seeds",
                        "format",
                        "epochs",
                        "batch",
                        "lr",
                        "patience",
                        "expert-units",
                        "tower-units",
                        "embedding-dim",
                        "tolerance",
                        "threads"));
        Path data = dataFile(a.string("data", null));
        List<String> models = a.list("models", DEFAULT_MODELS);
        for (String model : models) {
            if (Architecture.byName(model).isEmpty()) {
                throw new IllegalArgumentException(
                        "--models: unknown '" + model + "' (one of " + String.join(", ", Architecture.names()) + ")");
            }
        }
        int seeds = a.integer("seeds", 3, 1);
        int embeddingDim = a.integer("embedding-dim", 8, 1);
        double tolerance = a.decimal("tolerance", 0.0);
        List<Integer> expertUnits =
                a.list("expert-units", "64").stream().map(Integer::parseInt).toList();
        List<Integer> towerUnits =
                a.list("tower-units", "32").stream().map(Integer::parseInt).toList();
        TrainingConfig config = TrainingConfig.defaults()
                .withBatchSize(a.integer("batch", 512, 1))
                .withLearningRate(a.decimal("lr", 2e-3))
                .withEpochs(a.integer("epochs", 20, 1))
                .withPatience(a.integer("patience", 3, 0));
        String format = a.format();
        Engine.getEngine(MtlModel.ENGINE);
        // small models: one intra-op thread each is fastest (see reproduce synthetic)
        JniUtils.setNumThreads(a.integer("threads", 1, 1));

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", data.toAbsolutePath().toString());
        settings.put("models", models);
        settings.put("seeds", seeds);
        settings.put("split", "70/15/15 train/validation/test, random by seed");
        settings.put("epochs", config.epochs());
        settings.put("batch", config.batchSize());
        settings.put("learningRate", config.learningRate());
        settings.put("patience", config.patience());
        settings.put("expertUnits", expertUnits);
        settings.put("towerUnits", towerUnits);
        settings.put("experts", Map.of("shared", 2, "perTask", 2, "mmoe", 6));
        settings.put("maxEmbeddingDim", embeddingDim);
        settings.put("tolerance", tolerance);

        Map<String, List<ReproductionReport.Run>> runs = new SplitsReproduction(expertUnits, towerUnits, config, err)
                .run(models, seeds, seed -> load(data, seed, embeddingDim));
        List<ReproductionReport.Row> rows = SplitsReproduction.rows(Map.of(), models, TASKS, runs, tolerance);
        ReproductionReport.Report report = new ReproductionReport.Report("census", settings, rows);
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            printTable(report);
        }
        return 0;
    }

    private static Path dataFile(String given) {
        if (given == null) {
            throw new IllegalArgumentException(
                    "--data: give the path of the census-income file (census-income.test.gz or census-income.data)");
        }
        Path path = Path.of(given);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("--data: cannot read " + path.toAbsolutePath());
        }
        return path;
    }

    /** Imports the file into a temporary cache split by this seed, and encodes it for the engine. */
    private static TrainingSplits load(Path data, int seed, int embeddingDim) {
        DatasetPreset preset = DatasetPreset.CENSUS_INCOME;
        return SplitsReproduction.withScratchDirectory("fulcrum-census", dir -> {
            new CsvImport(
                            preset.schema(List.of()),
                            preset.format(),
                            new SplitSpec.Random(seed, 0.7, 0.15, 0.15),
                            BadRowPolicy.REJECT)
                    .run(data, dir.resolve("cache"), bytes -> {});
            ColumnarCache cache = ColumnarCache.open(dir.resolve("cache"));
            return TrainingSplits.load(
                    cache,
                    Preprocessing.fit(cache),
                    List.of(
                            new TrainingSplits.TaskColumns("income", TaskType.BINARY, "income", null),
                            new TrainingSplits.TaskColumns("never_married", TaskType.BINARY, "never_married", null)),
                    embeddingDim);
        });
    }

    private void printTable(ReproductionReport.Report report) {
        SplitsReproduction.printTable(
                out,
                "census-income reproduction (test AUC, MTL gain = AUC_model − AUC_single; mean ± std over seeds)",
                report,
                TASKS);
    }
}
