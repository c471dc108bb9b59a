package io.fulcrum.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.data.SyntheticGenerator;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.metric.Tolerance;
import io.fulcrum.mtl.model.Architecture;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import io.fulcrum.mtl.train.TrainingResult;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code reproduce synthetic}: the paper's Fig. 7 experiment. For every label correlation and seed it
 * draws one data set (80% train, 10% validation for early stopping, 10% held-out test), trains every
 * model and the single-task baseline on it, and reports test MSE and MTL gain per task (mean ± std over
 * seeds, the gain with its 95% interval and call) with a seesaw verdict.
 */
final class ReproduceSynthetic {

    static final String DEFAULT_MODELS = "single,shared-bottom,mmoe,cgc,ple";
    static final List<String> TASKS = List.of("y1", "y2");

    private final PrintStream out;
    private final PrintStream err;

    ReproduceSynthetic(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        CliArgs a = new CliArgs(
                args,
                Set.of(
                        "correlations",
                        "models",
                        "seeds",
                        "samples",
                        "epochs",
                        "format",
                        "dimension",
                        "tolerance",
                        "expert-units",
                        "tower-units",
                        "batch",
                        "lr",
                        "patience",
                        "weight-decay",
                        "dropout",
                        ParameterMatch.BUDGET),
                Set.of(ParameterMatch.FLAG));
        List<Double> correlations = a.list("correlations", "0.1,0.3,0.5,0.7,0.9,1.0").stream()
                .map(s -> parseCorrelation(s))
                .toList();
        List<String> models = a.list("models", DEFAULT_MODELS);
        for (String m : models) {
            if (Architecture.byName(m).isEmpty()) {
                throw new IllegalArgumentException(
                        "--models: unknown '" + m + "' (one of " + String.join(", ", Architecture.names()) + ")");
            }
        }
        List<Integer> seeds = a.seeds("seeds", SweepOptions.DEFAULT_SEEDS);
        int samples = a.integer("samples", 16000, 100);
        int epochs = a.integer("epochs", 60, 1);
        int dimension = a.integer("dimension", 64, 2);
        Tolerance tolerance = SweepOptions.tolerance(a);
        List<Integer> expertUnits =
                a.list("expert-units", "32").stream().map(Integer::parseInt).toList();
        List<Integer> towerUnits =
                a.list("tower-units", "32,16").stream().map(Integer::parseInt).toList();
        TrainingConfig config = TrainingConfig.defaults()
                .withBatchSize(a.integer("batch", 256, 1))
                .withLearningRate(a.decimal("lr", 3e-3))
                .withEpochs(epochs)
                .withPatience(a.integer("patience", 10, 0))
                .withWeightDecay(a.decimal("weight-decay", 1e-3));
        double dropout = a.decimal("dropout", 0.0);
        ParameterMatch matching = ParameterMatch.parse(a);
        String format = a.format();
        // these small models run fastest on one intra-op thread: with more, the tiny products mostly wait
        // on each other (10x slower on a busy 2-core machine). Trainings run one after another because
        // the engine allows one gradient collector per process.
        int threads = a.integer("threads", 1, 1);
        Engine.getEngine(MtlModel.ENGINE); // loads the native library that the next call goes to
        JniUtils.setNumThreads(threads);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("correlations", correlations);
        settings.put("models", models);
        settings.put("seeds", seeds.size());
        settings.put("seedList", seeds);
        settings.put("samples", samples);
        settings.put("split", "80/10/10 train/validation/test");
        settings.put("epochs", epochs);
        settings.put("dimension", dimension);
        settings.put("scale", 1.0);
        settings.put("sinTerms", 10);
        settings.put("noiseStd", 0.1);
        settings.put("expertUnits", expertUnits);
        settings.put("towerUnits", towerUnits);
        settings.put("experts", Map.of("shared", 2, "perTask", 2, "mmoe", 6));
        settings.put("batch", config.batchSize());
        settings.put("learningRate", config.learningRate());
        settings.put("patience", config.patience());
        settings.put("weightDecay", config.weightDecay());
        settings.put("dropout", dropout);
        settings.put("tolerance", tolerance.spec());
        settings.put("threadsPerTraining", threads);
        matching.describe(settings);

        Set<String> toTrain = new LinkedHashSet<>();
        toTrain.add("single");
        toTrain.addAll(models);
        List<Job> jobs = new ArrayList<>();
        Map<Double, List<Double>> labelCorrelations = new LinkedHashMap<>();
        for (double correlation : correlations) {
            for (int seed : seeds) {
                SyntheticGenerator generator =
                        new SyntheticGenerator(SyntheticGenerator.Settings.paper(correlation, dimension, seed));
                SyntheticGenerator.SyntheticData all = generator.generate(0, samples);
                labelCorrelations
                        .computeIfAbsent(correlation, c -> new ArrayList<>())
                        .add(all.labelCorrelation());
                Split split = Split.of(all.data());
                Map<String, ModelSpec> specs = new LinkedHashMap<>();
                for (String model : toTrain) {
                    specs.put(model, spec(model, generator, expertUnits, towerUnits, dropout));
                }
                specs = matching.apply(specs);
                for (String model : toTrain) {
                    jobs.add(new Job(correlation, seed, model, specs.get(model), split));
                }
            }
        }
        Map<Job, ReproductionReport.Run> done = runAll(jobs, config);
        List<ReproductionReport.Row> rows = new ArrayList<>();
        for (double correlation : correlations) {
            Map<String, Object> setting = new LinkedHashMap<>();
            setting.put("correlation", correlation);
            setting.put(
                    "labelCorrelation",
                    ReproductionReport.Stat.of(labelCorrelations.get(correlation))
                            .mean());
            Map<String, List<ReproductionReport.Run>> runs = new LinkedHashMap<>();
            for (Job job : jobs) {
                if (job.correlation() == correlation) {
                    runs.computeIfAbsent(job.model(), m -> new ArrayList<>()).add(done.get(job));
                }
            }
            for (String model : models) {
                rows.add(ReproductionReport.row(setting, model, TASKS, runs.get(model), runs.get("single"), tolerance));
            }
        }
        ReproductionReport.Report report = new ReproductionReport.Report("synthetic", settings, rows);
        if (format.equals("json")) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            printTable(report);
        }
        return 0;
    }

    private record Split(MtlDataset train, MtlDataset valid, MtlDataset test) {
        static Split of(MtlDataset all) {
            int n = all.size();
            return new Split(all.slice(0, n * 8 / 10), all.slice(n * 8 / 10, n * 9 / 10), all.slice(n * 9 / 10, n));
        }
    }

    private record Job(double correlation, int seed, String model, ModelSpec spec, Split split) {}

    private Map<Job, ReproductionReport.Run> runAll(List<Job> jobs, TrainingConfig config) {
        Map<Job, ReproductionReport.Run> done = new LinkedHashMap<>();
        for (Job job : jobs) {
            ReproductionReport.Run run = train(job.seed(), job.spec(), job.split(), config.withSeed(job.seed()));
            done.put(job, run);
            err.printf(
                    "correlation %.2f seed %d %-13s y1 %.4f  y2 %.4f  (%.1f s, best epoch %d of %d)%n",
                    job.correlation(),
                    job.seed(),
                    job.model(),
                    run.test().get("y1").mse(),
                    run.test().get("y2").mse(),
                    run.seconds(),
                    run.bestEpoch(),
                    run.epochs());
        }
        return done;
    }

    private static double parseCorrelation(String s) {
        try {
            double p = Double.parseDouble(s);
            if (p < -1 || p > 1) {
                throw new IllegalArgumentException("--correlations: must be in [-1, 1], got " + s);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--correlations: not a number: '" + s + "'");
        }
    }

    static ModelSpec spec(
            String architecture,
            SyntheticGenerator generator,
            List<Integer> expertUnits,
            List<Integer> towerUnits,
            double dropout) {
        // MMoE variants get as many experts as CGC/PLE have per level (2 shared + 2 per task)
        int shared = architecture.equals("mmoe") || architecture.equals("ml-mmoe") ? 6 : 2;
        return new ModelSpec(
                architecture,
                generator.inputs(),
                SyntheticGenerator.tasks(),
                new ModelSpec.Experts(shared, 2, expertUnits),
                expertUnits,
                towerUnits,
                2,
                false,
                "relu",
                dropout,
                2);
    }

    private static ReproductionReport.Run train(int seed, ModelSpec spec, Split split, TrainingConfig cfg) {
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), cfg.seed())) {
            TrainingResult result = new MtlTrainer(cfg, null, null).fit(model, split.train(), split.valid());
            Map<String, TaskMetrics> metrics =
                    Evaluator.evaluate(model, split.test(), 1024, false).tasks();
            return new ReproductionReport.Run(
                    seed,
                    metrics,
                    model.parameterCount(),
                    result.trainSeconds(),
                    result.epochsRun(),
                    result.bestEpoch(),
                    null);
        }
    }

    private void printTable(ReproductionReport.Report r) {
        out.printf("synthetic reproduction (test MSE, MTL gain = MSE_single − MSE_model; mean ± std over seeds)%n");
        out.println(ReproductionReport.GAIN_LEGEND);
        out.printf(
                "%-6s %-8s %-13s %-19s %-30s %-19s %-30s %-17s %9s%n",
                "corr",
                "label r",
                "model",
                "y1 MSE",
                "y1 gain [95% CI] call",
                "y2 MSE",
                "y2 gain [95% CI] call",
                "verdict",
                "params");
        Map<String, List<Double>> gainsByModel = new LinkedHashMap<>();
        for (ReproductionReport.Row row : r.results()) {
            ReproductionReport.TaskRow y1 = row.tasks().get("y1");
            ReproductionReport.TaskRow y2 = row.tasks().get("y2");
            out.printf(
                    "%-6.2f %-8.3f %-13s %-19s %-30s %-19s %-30s %-17s %9d%n",
                    (Double) row.setting().get("correlation"),
                    (Double) row.setting().get("labelCorrelation"),
                    row.model(),
                    ReproductionReport.plusMinus(y1.mean(), y1.std()),
                    ReproductionReport.gainCell(y1),
                    ReproductionReport.plusMinus(y2.mean(), y2.std()),
                    ReproductionReport.gainCell(y2),
                    row.verdict() == null ? "" : row.verdict(),
                    row.params());
            if (y1.gain() != null) {
                gainsByModel
                        .computeIfAbsent(row.model(), m -> new ArrayList<>())
                        .add(y1.gain().mean());
                gainsByModel.get(row.model()).add(y2.gain().mean());
            }
        }
        out.println();
        gainsByModel.forEach((model, gains) -> out.printf(
                "mean MTL gain of %-13s over all correlations and tasks: %+.5f%n",
                model, gains.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
    }
}
