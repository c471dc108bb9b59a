package io.fulcrum.cli;

import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.metric.Tolerance;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import io.fulcrum.mtl.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Trains the single-task baseline and every model on each seed's splits of a dataset, and reports
 * the test metrics: what {@code reproduce census} and {@code reproduce video} share.
 */
final class SplitsReproduction {

    private final List<Integer> expertUnits;
    private final List<Integer> towerUnits;
    private final TrainingConfig config;
    private final ParameterMatch matching;
    private final PrintStream err;

    SplitsReproduction(
            List<Integer> expertUnits,
            List<Integer> towerUnits,
            TrainingConfig config,
            ParameterMatch matching,
            PrintStream err) {
        this.expertUnits = expertUnits;
        this.towerUnits = towerUnits;
        this.config = config;
        this.matching = matching;
        this.err = err;
    }

    /** Runs per model, one per seed in seed order; "single" is always among them. */
    Map<String, List<ReproductionReport.Run>> run(
            List<String> models, List<Integer> seeds, IntFunction<TrainingSplits> splitsOfSeed) {
        return run(models, seeds, splitsOfSeed, null);
    }

    /**
     * As {@link #run(List, List, IntFunction)}, and when {@code replayOfSeed} is given, each trained model
     * also ranks that seed's simulated sessions ({@link OnlineReplay}) before it is closed.
     */
    Map<String, List<ReproductionReport.Run>> run(
            List<String> models,
            List<Integer> seeds,
            IntFunction<TrainingSplits> splitsOfSeed,
            IntFunction<OnlineReplay> replayOfSeed) {
        LinkedHashSet<String> toTrain = new LinkedHashSet<>();
        toTrain.add("single");
        toTrain.addAll(models);
        Map<String, List<ReproductionReport.Run>> runs = new LinkedHashMap<>();
        for (int seed : seeds) {
            TrainingSplits splits = splitsOfSeed.apply(seed);
            OnlineReplay replay = replayOfSeed == null ? null : replayOfSeed.apply(seed);
            if (replay != null) {
                OnlineReplay.Outcome random = replay.randomOrder();
                OnlineReplay.Outcome best = replay.playOrder();
                err.printf(
                        "seed %d online scale: a random order %.4f views, %.2f watch s per session;"
                                + " the order by true P(play) %.4f views, %.2f watch s%n",
                        seed, random.meanViews(), random.meanWatchSeconds(), best.meanViews(), best.meanWatchSeconds());
            }
            Map<String, ModelSpec> specs = new LinkedHashMap<>();
            for (String model : toTrain) {
                specs.put(model, spec(model, splits));
            }
            specs = matching.apply(specs);
            for (String model : toTrain) {
                TrainingConfig seeded = config.withSeed(seed)
                        .withBalancing(ModelName.parse(model).orElseThrow().balancing());
                ReproductionReport.Run run = train(seed, specs.get(model), splits, seeded, replay);
                runs.computeIfAbsent(model, m -> new ArrayList<>()).add(run);
                StringBuilder line = new StringBuilder(String.format("seed %d %-13s", seed, model));
                for (Map.Entry<String, TaskMetrics> task : run.test().entrySet()) {
                    line.append(String.format(
                            "  %s %s %.4f",
                            task.getKey(),
                            task.getValue().primaryName(),
                            task.getValue().primary()));
                }
                line.append(
                        String.format("  (%.1f s, best epoch %d of %d)", run.seconds(), run.bestEpoch(), run.epochs()));
                if (run.online() != null) {
                    line.append(String.format(
                            "  online: %.4f views, %.2f watch s per session",
                            run.online().meanViews(), run.online().meanWatchSeconds()));
                }
                err.println(line);
            }
        }
        return runs;
    }

    /**
     * The test metrics by task, and for a task that follows another (shr after ctr) the joint
     * probability's metrics under {@code task:joint}: every model scored on pCTR·pSHR, or on AITM's own
     * impression-level output, over the first step's space.
     */
    static Map<String, TaskMetrics> withJoint(Evaluator.Evaluation evaluation) {
        Map<String, TaskMetrics> test = new LinkedHashMap<>(evaluation.tasks());
        evaluation.joint().forEach((task, metrics) -> test.put(task + ReproductionReport.JOINT, metrics));
        return test;
    }

    /**
     * The rows of the report, one per model (the baseline only as the reference of the gains); the
     * joint metrics of a funnel come after the tasks, as rows that no verdict counts.
     */
    static List<ReproductionReport.Row> rows(
            Map<String, Object> setting,
            List<String> models,
            List<String> tasks,
            Map<String, List<ReproductionReport.Run>> runs,
            Tolerance tolerance) {
        List<String> withJoint = new ArrayList<>(tasks);
        for (String task : tasks) {
            if (runs.get("single").get(0).test().containsKey(task + ReproductionReport.JOINT)) {
                withJoint.add(task + ReproductionReport.JOINT);
            }
        }
        List<ReproductionReport.Row> rows = new ArrayList<>();
        for (String model : models) {
            rows.add(ReproductionReport.row(setting, model, withJoint, runs, tolerance));
        }
        return rows;
    }

    private ModelSpec spec(String name, TrainingSplits splits) {
        ModelName model = ModelName.parse(name).orElseThrow();
        String architecture = model.architecture().cliName();
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
                2,
                model.expertNorm(),
                null);
    }

    private static ReproductionReport.Run train(
            int seed, ModelSpec spec, TrainingSplits splits, TrainingConfig config, OnlineReplay replay) {
        try (MtlModel model = MtlModel.create(spec, splits.preprocessing(), config.seed())) {
            TrainingResult result = new MtlTrainer(config, null, null).fit(model, splits.train(), splits.validation());
            return new ReproductionReport.Run(
                    seed,
                    withJoint(Evaluator.evaluate(model, splits.test(), 2048, false)),
                    model.parameterCount(),
                    result.trainSeconds(),
                    result.epochsRun(),
                    result.bestEpoch(),
                    replay == null ? null : replay.rank(model));
        }
    }

    /** A scratch directory for one seed's cache, gone again whatever happens. */
    static <T> T withScratchDirectory(String prefix, ScratchWork<T> work) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(prefix);
            return work.run(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    interface ScratchWork<T> {
        T run(Path dir) throws IOException;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A lift as a percentage with its 95% interval: {@code +0.12% [-0.30%, +0.54%]}. */
    private static String percent(ReproductionReport.Gain lift) {
        if (lift == null) {
            return "";
        }
        return lift.ci() == null
                ? String.format("%+.2f%%", 100 * lift.mean())
                : String.format(
                        "%+.2f%% [%+.2f%%, %+.2f%%]",
                        100 * lift.mean(),
                        100 * lift.ci().low(),
                        100 * lift.ci().high());
    }

    /** Prints one line per model with each task's metric and gain, and its online replay when there is one. */
    static void printTable(PrintStream out, String title, ReproductionReport.Report report, List<String> tasks) {
        out.println(title);
        out.println(ReproductionReport.GAIN_LEGEND);
        StringBuilder header = new StringBuilder(String.format("%-13s", "model"));
        for (String task : tasks) {
            String metric = report.results().get(0).tasks().get(task).metric();
            header.append(String.format(" %-19s %-30s", task + " " + metric, task + " gain [95% CI] call"));
        }
        boolean online = report.results().get(0).online() != null;
        if (online) {
            header.append(String.format(
                    " %-17s %-19s %-27s %-27s %-27s",
                    "views/session", "watch s/session", "views lift [95% CI]", "valid views lift", "watch lift"));
        }
        out.println(header.append(String.format(" %-17s %9s", "verdict", "params")));
        for (ReproductionReport.Row row : report.results()) {
            StringBuilder line = new StringBuilder(String.format("%-13s", row.model()));
            for (String task : tasks) {
                ReproductionReport.TaskRow t = row.tasks().get(task);
                line.append(String.format(
                        " %-19s %-30s",
                        ReproductionReport.plusMinus(t.mean(), t.std()), ReproductionReport.gainCell(t)));
            }
            if (online) {
                ReproductionReport.Online o = row.online();
                line.append(String.format(
                        " %-17s %-19s %-27s %-27s %-27s",
                        ReproductionReport.plusMinus(
                                o.viewsPerSession().mean(), o.viewsPerSession().std()),
                        String.format(
                                "%.2f ± %.2f",
                                o.watchSecondsPerSession().mean(),
                                o.watchSecondsPerSession().std()),
                        percent(o.viewsLift()),
                        percent(o.validViewsLift()),
                        percent(o.watchTimeLift())));
            }
            out.println(
                    line.append(String.format(" %-17s %9d", row.verdict() == null ? "" : row.verdict(), row.params())));
        }
    }
}
