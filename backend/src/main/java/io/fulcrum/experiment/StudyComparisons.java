package io.fulcrum.experiment;

import io.fulcrum.mtl.metric.ExpertUtilization;
import io.fulcrum.mtl.metric.MtlGain;
import io.fulcrum.mtl.metric.PairedGain;
import io.fulcrum.mtl.metric.SeesawVerdict;
import io.fulcrum.mtl.metric.TaskCall;
import io.fulcrum.mtl.metric.Tolerance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Computes a study's comparison and expert utilization from its runs' stored results. */
@Service
public class StudyComparisons {

    private final StudyManagement studies;

    StudyComparisons(StudyManagement studies) {
        this.studies = studies;
    }

    @Transactional(readOnly = true)
    public Comparison comparison(long studyId, Tolerance tolerance) {
        studies.row(studyId);
        List<StudyManagement.Member> members = studies.members(studyId);
        Map<Long, RunRecord> baselineOfSeed = new LinkedHashMap<>();
        Map<String, List<StudyManagement.Member>> byModel = new LinkedHashMap<>();
        for (StudyManagement.Member m : members) {
            if (m.model().equals(StudyManagement.SINGLE)) {
                baselineOfSeed.put(m.seed(), m.run());
            }
            byModel.computeIfAbsent(m.model(), k -> new ArrayList<>()).add(m);
        }
        Map<String, Comparison.TaskMetric> metrics = new LinkedHashMap<>();
        if (!members.isEmpty()) {
            for (RunTask t : members.get(0).run().tasks()) {
                metrics.put(
                        t.name(),
                        new Comparison.TaskMetric(
                                t.metric(), t.evaluationMetric().higherIsBetter()));
            }
        }
        List<Comparison.ModelRow> rows = new ArrayList<>();
        List<String> order = new ArrayList<>(byModel.keySet());
        order.remove(StudyManagement.SINGLE);
        order.add(0, StudyManagement.SINGLE);
        for (String model : order) {
            List<StudyManagement.Member> runs = byModel.get(model);
            if (runs != null) {
                rows.add(row(model, runs, baselineOfSeed, metrics, tolerance));
            }
        }
        boolean complete = members.stream().allMatch(m -> m.run().state().finished());
        Double plain =
                tolerance.plainNumber().isPresent() ? tolerance.plainNumber().getAsDouble() : null;
        return new Comparison(studyId, complete, plain, tolerance.spec(), metrics, rows);
    }

    /** One seed that counts: the model's result and, for a model, its baseline's of the same seed. */
    private record Paired(long seed, RunResult result, RunResult base) {}

    private static Comparison.ModelRow row(
            String model,
            List<StudyManagement.Member> members,
            Map<Long, RunRecord> baselineOfSeed,
            Map<String, Comparison.TaskMetric> metrics,
            Tolerance tolerance) {
        boolean baseline = model.equals(StudyManagement.SINGLE);
        List<Paired> paired = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        long parameters = 0;
        for (StudyManagement.Member m : members.stream()
                .sorted(Comparator.comparingLong(StudyManagement.Member::seed))
                .toList()) {
            RunResult result = m.run().state() == RunState.SUCCEEDED ? m.run().result() : null;
            RunRecord single = baselineOfSeed.get(m.seed());
            RunResult base = single != null && single.state() == RunState.SUCCEEDED ? single.result() : null;
            if (result == null || (!baseline && base == null)) {
                continue;
            }
            paired.add(new Paired(m.seed(), result, base));
            parameters = result.parameters();
            seconds.add(result.trainSeconds());
        }
        int done = paired.size();
        Map<String, Comparison.TaskRow> tasks = new LinkedHashMap<>();
        List<TaskCall> calls = new ArrayList<>();
        for (Map.Entry<String, Comparison.TaskMetric> e : metrics.entrySet()) {
            String task = e.getKey();
            if (done == 0) {
                tasks.put(task, new Comparison.TaskRow(e.getValue().metric(), null, null, null, null, null));
                continue;
            }
            List<Double> values = new ArrayList<>();
            List<Comparison.SeedValue> seeds = new ArrayList<>();
            double[] gains = new double[done];
            double baseSum = 0;
            for (int i = 0; i < done; i++) {
                Paired p = paired.get(i);
                RunResult.TaskResult r = p.result().test().get(task);
                values.add(r.value());
                Double gain = null;
                if (!baseline) {
                    RunResult.TaskResult b = p.base().test().get(task);
                    gains[i] = MtlGain.of(r.value(), b.value(), r.higherIsBetter());
                    gain = gains[i];
                    baseSum += b.value();
                }
                seeds.add(new Comparison.SeedValue(p.seed(), r.value(), gain));
            }
            if (baseline) {
                tasks.put(task, new Comparison.TaskRow(e.getValue().metric(), stat(values), null, null, null, seeds));
                continue;
            }
            PairedGain gain = PairedGain.of(gains);
            double band = tolerance.absoluteFor(e.getValue().metric(), baseSum / done);
            TaskCall call = gain.call(band);
            calls.add(call);
            tasks.put(
                    task,
                    new Comparison.TaskRow(
                            e.getValue().metric(),
                            stat(values),
                            new Comparison.Gain(
                                    gain.mean(),
                                    gain.std(),
                                    gain.n(),
                                    gain.hasInterval() ? new Comparison.Interval(gain.ciLow(), gain.ciHigh()) : null),
                            call,
                            band,
                            seeds));
        }
        SeesawVerdict verdict = baseline || done == 0 ? null : SeesawVerdict.of(calls, done);
        return new Comparison.ModelRow(
                model,
                members.get(0).run().spec().architecture(),
                done,
                members.size(),
                tasks,
                verdict,
                parameters,
                done == 0 ? null : stat(seconds));
    }

    static Comparison.Stat stat(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        double ss = values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return new Comparison.Stat(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0, n);
    }

    @Transactional(readOnly = true)
    public ExpertUtilizationReport expertUtilization(long studyId) {
        studies.row(studyId);
        Map<String, List<RunRecord>> byModel = new LinkedHashMap<>();
        for (StudyManagement.Member m : studies.members(studyId)) {
            if (m.run().state() == RunState.SUCCEEDED && m.run().result() != null) {
                byModel.computeIfAbsent(m.model(), k -> new ArrayList<>()).add(m.run());
            }
        }
        List<ExpertUtilizationReport.ModelGates> models = new ArrayList<>();
        for (Map.Entry<String, List<RunRecord>> e : byModel.entrySet()) {
            models.add(gates(e.getKey(), e.getValue()));
        }
        return new ExpertUtilizationReport(studyId, models);
    }

    private static ExpertUtilizationReport.ModelGates gates(String model, List<RunRecord> runs) {
        Map<String, double[][]> sums = new LinkedHashMap<>();
        Map<String, List<String>> experts = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            for (ExpertUtilization.GateUtilization g : run.result().expertUtilization()) {
                double[][] s = sums.computeIfAbsent(g.gate(), x -> new double[2][g.mean().length]);
                experts.putIfAbsent(g.gate(), g.experts());
                for (int i = 0; i < g.mean().length; i++) {
                    s[0][i] += g.mean()[i];
                    s[1][i] += g.std()[i];
                }
            }
        }
        List<ExpertUtilizationReport.Gate> gates = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : sums.entrySet()) {
            double[] mean = e.getValue()[0].clone();
            double[] std = e.getValue()[1].clone();
            for (int i = 0; i < mean.length; i++) {
                mean[i] /= runs.size();
                std[i] /= runs.size();
            }
            gates.add(new ExpertUtilizationReport.Gate(e.getKey(), experts.get(e.getKey()), mean, std));
        }
        return new ExpertUtilizationReport.ModelGates(model, runs.get(0).spec().architecture(), runs.size(), gates);
    }
}
