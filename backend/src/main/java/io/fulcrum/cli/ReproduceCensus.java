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
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.model.Architecture;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import io.fulcrum.mtl.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

        Set<String> toTrain = new LinkedHashSet<>();
        toTrain.add("single");
        toTrain.addAll(models);
        Map<String, List<ReproductionReport.Run>> runs = new LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            TrainingSplits splits = load(data, seed, embeddingDim);
            for (String model : toTrain) {
                ReproductionReport.Run run =
                        train(spec(model, splits, expertUnits, towerUnits), splits, config.withSeed(seed));
                runs.computeIfAbsent(model, m -> new ArrayList<>()).add(run);
                err.printf(
                        "seed %d %-13s income AUC %.4f  never_married AUC %.4f  (%.1f s)%n",
                        seed,
                        model,
                        run.test().get("income").auc(),
                        run.test().get("never_married").auc(),
                        run.seconds());
            }
        }
        List<ReproductionReport.Row> rows = new ArrayList<>();
        for (String model : models) {
            rows.add(ReproductionReport.row(Map.of(), model, TASKS, runs.get(model), runs.get("single"), tolerance));
        }
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
    private TrainingSplits load(Path data, int seed, int embeddingDim) {
        DatasetPreset preset = DatasetPreset.CENSUS_INCOME;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fulcrum-census");
            Path cacheDir = dir.resolve("cache");
            new CsvImport(
                            preset.schema(List.of()),
                            preset.format(),
                            new SplitSpec.Random(seed, 0.7, 0.15, 0.15),
                            BadRowPolicy.REJECT)
                    .run(data, cacheDir, bytes -> {});
            ColumnarCache cache = ColumnarCache.open(cacheDir);
            return TrainingSplits.load(
                    cache,
                    Preprocessing.fit(cache),
                    List.of(
                            new TrainingSplits.TaskColumns("income", TaskType.BINARY, "income", null),
                            new TrainingSplits.TaskColumns("never_married", TaskType.BINARY, "never_married", null)),
                    embeddingDim);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelSpec spec(
            String architecture, TrainingSplits splits, List<Integer> expertUnits, List<Integer> towerUnits) {
        // MMoE variants get as many experts as CGC/PLE have per level (2 shared + 2 per task)
        int shared = architecture.equals("mmoe") || architecture.equals("ml-mmoe") ? 6 : 2;
        return new ModelSpec(
                architecture,
                splits.inputs(),
                splits.tasks(),
                new ModelSpec.Experts(shared, 2, expertUnits),
                expertUnits,
                towerUnits,
                2,
                false,
                "relu",
                0.0,
                2);
    }

    private static ReproductionReport.Run train(ModelSpec spec, TrainingSplits splits, TrainingConfig config) {
        try (MtlModel model = MtlModel.create(spec, splits.preprocessing(), config.seed())) {
            TrainingResult result = new MtlTrainer(config, null, null).fit(model, splits.train(), splits.validation());
            return new ReproductionReport.Run(
                    Evaluator.evaluate(model, splits.test(), 2048, false).tasks(),
                    model.parameterCount(),
                    result.trainSeconds());
        }
    }

    private void printTable(ReproductionReport.Report report) {
        out.println("census-income reproduction (test AUC, MTL gain = AUC_model − AUC_single; mean ± std over seeds)");
        out.printf(
                "%-13s %-19s %-21s %-19s %-21s %-17s %9s%n",
                "model", "income AUC", "income gain", "never_married AUC", "never_married gain", "verdict", "params");
        for (ReproductionReport.Row row : report.results()) {
            ReproductionReport.TaskRow income = row.tasks().get("income");
            ReproductionReport.TaskRow married = row.tasks().get("never_married");
            out.printf(
                    "%-13s %-19s %-21s %-19s %-21s %-17s %9d%n",
                    row.model(),
                    ReproductionReport.plusMinus(income.mean(), income.std()),
                    income.gain() == null
                            ? ""
                            : ReproductionReport.plusMinus(
                                    income.gain().mean(), income.gain().std()),
                    ReproductionReport.plusMinus(married.mean(), married.std()),
                    married.gain() == null
                            ? ""
                            : ReproductionReport.plusMinus(
                                    married.gain().mean(), married.gain().std()),
                    row.verdict() == null ? "" : row.verdict(),
                    row.params());
        }
    }
}
