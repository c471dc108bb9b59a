package io.fulcrum.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fulcrum.mtl.metric.MtlGain;
import io.fulcrum.mtl.metric.PairedGain;
import io.fulcrum.mtl.metric.SeesawVerdict;
import io.fulcrum.mtl.metric.TaskCall;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.metric.Tolerance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape every {@code reproduce} command prints: per setting and model, each task's test
 * metric (mean ± std over seeds), its MTL gain against the single-task model trained on the same
 * split and seed (mean, std, 95% t interval, the call against the tolerance, every seed's value and
 * gain), and the seesaw verdict.
 */
final class ReproductionReport {

    /** The suffix of a funnel task's joint row: {@code shr:joint} scores pCTR·pSHR on every impression. */
    static final String JOINT = ":joint";

    private ReproductionReport() {}

    @JsonPropertyOrder({"experiment", "settings", "results"})
    record Report(String experiment, Map<String, Object> settings, List<Row> results) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"setting", "model", "tasks", "online", "verdict", "params", "trainSeconds"})
    record Row(
            Map<String, Object> setting,
            String model,
            Map<String, TaskRow> tasks,
            Online online,
            String verdict,
            long params,
            double trainSeconds) {}

    /**
     * The model as a ranker of simulated sessions ({@link OnlineReplay}): expected plays, valid views
     * and watch seconds per session (mean ± std over seeds); their relative lift over the single-task
     * models ranking the same sessions of the same seed (absent on the single-task row), and in
     * {@code against} over every other multi-task model of the setting, each paired per seed with its
     * 95% t interval.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({
        "sessions",
        "viewsPerSession",
        "validViewsPerSession",
        "watchSecondsPerSession",
        "viewsLift",
        "validViewsLift",
        "watchTimeLift",
        "against"
    })
    record Online(
            int sessions,
            Stat viewsPerSession,
            Stat validViewsPerSession,
            Stat watchSecondsPerSession,
            Gain viewsLift,
            Gain validViewsLift,
            Gain watchTimeLift,
            Map<String, Lifts> against) {

        static Online of(String model, List<Run> runs, Map<String, List<Run>> all) {
            List<Double> views = new ArrayList<>();
            List<Double> validViews = new ArrayList<>();
            List<Double> watch = new ArrayList<>();
            for (Run run : runs) {
                views.add(run.online().meanViews());
                validViews.add(run.online().meanValidViews());
                watch.add(run.online().meanWatchSeconds());
            }
            boolean baseline = model.equals("single");
            Lifts overSingle = baseline ? null : Lifts.of(runs, all.get("single"));
            Map<String, Lifts> against = new LinkedHashMap<>();
            if (!baseline) {
                all.forEach((other, otherRuns) -> {
                    if (!other.equals("single") && !other.equals(model)) {
                        against.put(other, Lifts.of(runs, otherRuns));
                    }
                });
            }
            return new Online(
                    runs.get(0).online().views().length,
                    Stat.of(views),
                    Stat.of(validViews),
                    Stat.of(watch),
                    overSingle == null ? null : overSingle.views(),
                    overSingle == null ? null : overSingle.validViews(),
                    overSingle == null ? null : overSingle.watchTime(),
                    against.isEmpty() ? null : against);
        }
    }

    /** Relative online lifts of one model over another, paired per seed (the same sessions). */
    record Lifts(Gain views, Gain validViews, Gain watchTime) {

        static Lifts of(List<Run> runs, List<Run> reference) {
            Map<Integer, Run> referenceOfSeed = new LinkedHashMap<>();
            for (Run run : reference) {
                referenceOfSeed.put(run.seed(), run);
            }
            double[] views = new double[runs.size()];
            double[] validViews = new double[runs.size()];
            double[] watch = new double[runs.size()];
            for (int s = 0; s < runs.size(); s++) {
                OnlineReplay.Outcome outcome = runs.get(s).online();
                OnlineReplay.Outcome base =
                        referenceOfSeed.get(runs.get(s).seed()).online();
                views[s] = outcome.meanViews() / base.meanViews() - 1;
                validViews[s] = outcome.meanValidViews() / base.meanValidViews() - 1;
                watch[s] = outcome.meanWatchSeconds() / base.meanWatchSeconds() - 1;
            }
            return new Lifts(
                    Gain.of(PairedGain.of(views)), Gain.of(PairedGain.of(validViews)), Gain.of(PairedGain.of(watch)));
        }
    }

    /**
     * One task of a row: the test metric (mean ± std over seeds) and, for a model, its gain paired per
     * seed with the single-task run of that seed, the call the gain's interval makes against the
     * tolerance band, and every seed's value and gain.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"metric", "mean", "std", "gain", "call", "tolerance", "seeds"})
    record TaskRow(
            String metric, double mean, double std, Gain gain, TaskCall call, Double tolerance, List<Seed> seeds) {}

    /** Mean and sample standard deviation, rounded to 6 places as printed. */
    record Stat(double mean, double std) {
        static Stat of(List<Double> values) {
            double mean =
                    values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss =
                    values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            double std = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0.0;
            return new Stat(BenchTrain.round6(mean), BenchTrain.round6(std));
        }
    }

    /** The paired gain: mean, sample std and the 95% t interval (null with one seed), rounded to 6 places. */
    @JsonPropertyOrder({"mean", "std", "ci"})
    record Gain(double mean, double std, Interval ci) {
        static Gain of(PairedGain gain) {
            return new Gain(
                    BenchTrain.round6(gain.mean()),
                    BenchTrain.round6(gain.std()),
                    gain.hasInterval()
                            ? new Interval(BenchTrain.round6(gain.ciLow()), BenchTrain.round6(gain.ciHigh()))
                            : null);
        }
    }

    record Interval(double low, double high) {}

    /** One seed's metric and, for a model, its gain over the single-task run of the same seed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Seed(int seed, double value, Double gain) {}

    /** One trained model's test metrics for one setting and seed, and how its training went. */
    record Run(
            int seed,
            Map<String, TaskMetrics> test,
            long params,
            double seconds,
            int epochs,
            int bestEpoch,
            OnlineReplay.Outcome online) {}

    /**
     * Summarises a model's runs (one per seed, in seed order) against the single-task runs of the same
     * seeds; the single-task row itself carries no gain, no call and no verdict.
     */
    static Row row(
            Map<String, Object> setting,
            String model,
            List<String> tasks,
            List<Run> runs,
            List<Run> single,
            Tolerance tolerance) {
        Map<String, List<Run>> all = new LinkedHashMap<>();
        all.put("single", single);
        all.put(model, runs); // the single-task row itself is one of them
        return row(setting, model, tasks, all, tolerance);
    }

    /** As above, with every model's runs of the setting: the online lifts compare the model with each. */
    static Row row(
            Map<String, Object> setting,
            String model,
            List<String> tasks,
            Map<String, List<Run>> all,
            Tolerance tolerance) {
        List<Run> runs = all.get(model);
        List<Run> single = all.get("single");
        boolean baseline = model.equals("single");
        Map<Integer, Run> singleOfSeed = new LinkedHashMap<>();
        for (Run run : single) {
            singleOfSeed.put(run.seed(), run);
        }
        for (Run run : runs) {
            if (!singleOfSeed.containsKey(run.seed())) {
                throw new IllegalStateException(
                        "no single-task run of seed " + run.seed() + " to pair " + model + " with");
            }
        }
        Map<String, TaskRow> rows = new LinkedHashMap<>();
        List<TaskCall> calls = new ArrayList<>();
        for (String task : tasks) {
            List<Double> values = new ArrayList<>();
            List<Seed> seeds = new ArrayList<>();
            double[] gains = new double[runs.size()];
            double baseSum = 0;
            for (int s = 0; s < runs.size(); s++) {
                Run run = runs.get(s);
                TaskMetrics metrics = run.test().get(task);
                values.add(metrics.primary());
                Double gain = null;
                if (!baseline) {
                    TaskMetrics reference = singleOfSeed.get(run.seed()).test().get(task);
                    gains[s] = MtlGain.of(metrics, reference);
                    baseSum += reference.primary();
                    gain = BenchTrain.round6(gains[s]);
                }
                seeds.add(new Seed(run.seed(), BenchTrain.round6(metrics.primary()), gain));
            }
            String metric = runs.get(0).test().get(task).primaryName();
            Stat stat = Stat.of(values);
            if (baseline) {
                rows.put(task, new TaskRow(metric, stat.mean(), stat.std(), null, null, null, seeds));
                continue;
            }
            PairedGain gain = PairedGain.of(gains);
            double band = tolerance.absoluteFor(metric, baseSum / runs.size());
            TaskCall call = gain.call(band);
            if (!task.endsWith(JOINT)) {
                calls.add(call); // a funnel's joint row is derived from its tasks, not a task of its own
            }
            rows.put(
                    task,
                    new TaskRow(metric, stat.mean(), stat.std(), Gain.of(gain), call, BenchTrain.round6(band), seeds));
        }
        String verdict = baseline ? null : SeesawVerdict.of(calls, runs.size()).name();
        double seconds = runs.stream().mapToDouble(Run::seconds).average().orElse(0);
        Online online = runs.get(0).online() == null ? null : Online.of(model, runs, all);
        return new Row(setting, model, rows, online, verdict, runs.get(0).params(), BenchTrain.round(seconds));
    }

    /** A task's gain as the tables print it: mean, 95% interval and the call, e.g. {@code +0.0021 [-0.0010, +0.0052] =}. */
    static String gainCell(TaskRow task) {
        if (task.gain() == null) {
            return "";
        }
        Gain g = task.gain();
        String interval = g.ci() == null ? "[n=1]" : String.format("[%+.4f, %+.4f]", g.ci().low(), g.ci().high());
        return String.format("%+.4f %s %s", g.mean(), interval, symbol(task.call()));
    }

    /** How the tables mark a call: ↑ better, ↓ worse, = no change, ? undefined. */
    static String symbol(TaskCall call) {
        return switch (call) {
            case BETTER -> "↑";
            case WORSE -> "↓";
            case NO_CHANGE -> "=";
            case UNDEFINED -> "?";
        };
    }

    /** The legend of {@link #gainCell} for a table's title. */
    static final String GAIN_LEGEND =
            "gain: mean [95% t interval over seeds], ↑ better / ↓ worse / = no change against the tolerance";

    static String plusMinus(double mean, double std) {
        return String.format("%.4f ± %.4f", mean, std);
    }
}
