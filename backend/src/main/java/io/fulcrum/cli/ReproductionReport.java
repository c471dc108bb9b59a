package io.fulcrum.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fulcrum.mtl.metric.MtlGain;
import io.fulcrum.mtl.metric.SeesawVerdict;
import io.fulcrum.mtl.metric.TaskMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape every {@code reproduce} command prints: per setting and model, each task's test
 * metric (mean ± std over seeds), its MTL gain against the single-task model trained on the same
 * split and seed, and the seesaw verdict.
 */
final class ReproductionReport {

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
     * The model as a ranker of simulated sessions ({@link OnlineReplay}): expected plays and watch seconds
     * per session (mean ± std over seeds) and their relative lift over the single-task models ranking the
     * same sessions of the same seed (absent on the single-task row).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"sessions", "viewsPerSession", "watchSecondsPerSession", "viewsLift", "watchTimeLift"})
    record Online(int sessions, Stat viewsPerSession, Stat watchSecondsPerSession, Stat viewsLift, Stat watchTimeLift) {

        static Online of(String model, List<Run> runs, List<Run> single) {
            List<Double> views = new ArrayList<>();
            List<Double> watch = new ArrayList<>();
            List<Double> viewsLift = new ArrayList<>();
            List<Double> watchLift = new ArrayList<>();
            for (int s = 0; s < runs.size(); s++) {
                OnlineReplay.Outcome outcome = runs.get(s).online();
                OnlineReplay.Outcome reference = single.get(s).online();
                views.add(outcome.meanViews());
                watch.add(outcome.meanWatchSeconds());
                viewsLift.add(outcome.meanViews() / reference.meanViews() - 1);
                watchLift.add(outcome.meanWatchSeconds() / reference.meanWatchSeconds() - 1);
            }
            boolean baseline = model.equals("single");
            return new Online(
                    runs.get(0).online().views().length,
                    Stat.of(views),
                    Stat.of(watch),
                    baseline ? null : Stat.of(viewsLift),
                    baseline ? null : Stat.of(watchLift));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"metric", "mean", "std", "gain"})
    record TaskRow(String metric, double mean, double std, Stat gain) {}

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

    /** One trained model's test metrics for one setting and seed, and how its training went. */
    record Run(
            Map<String, TaskMetrics> test,
            long params,
            double seconds,
            int epochs,
            int bestEpoch,
            OnlineReplay.Outcome online) {}

    /**
     * Summarises a model's runs (one per seed, in seed order) against the single-task runs of the same
     * seeds; the single-task row itself carries no gain and no verdict.
     */
    static Row row(
            Map<String, Object> setting,
            String model,
            List<String> tasks,
            List<Run> runs,
            List<Run> single,
            double tolerance) {
        Map<String, TaskRow> rows = new LinkedHashMap<>();
        List<Double> meanGains = new ArrayList<>();
        for (String task : tasks) {
            List<Double> values =
                    runs.stream().map(r -> r.test().get(task).primary()).toList();
            Stat gain = null;
            if (!model.equals("single")) {
                List<Double> gains = new ArrayList<>();
                for (int s = 0; s < runs.size(); s++) {
                    gains.add(MtlGain.of(
                            runs.get(s).test().get(task), single.get(s).test().get(task)));
                }
                gain = Stat.of(gains);
                meanGains.add(gain.mean());
            }
            Stat stat = Stat.of(values);
            rows.put(task, new TaskRow(runs.get(0).test().get(task).primaryName(), stat.mean(), stat.std(), gain));
        }
        String verdict = model.equals("single")
                ? null
                : SeesawVerdict.of(
                                meanGains.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .toArray(),
                                tolerance)
                        .name();
        double seconds = runs.stream().mapToDouble(Run::seconds).average().orElse(0);
        Online online = runs.get(0).online() == null ? null : Online.of(model, runs, single);
        return new Row(setting, model, rows, online, verdict, runs.get(0).params(), BenchTrain.round(seconds));
    }

    static String plusMinus(double mean, double std) {
        return String.format("%.4f ± %.4f", mean, std);
    }
}
