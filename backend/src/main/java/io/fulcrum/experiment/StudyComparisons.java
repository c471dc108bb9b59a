package io.fulcrum.experiment;

import io.fulcrum.mtl.metric.ExpertUtilization;
import io.fulcrum.mtl.metric.MtlGain;
import io.fulcrum.mtl.metric.SeesawVerdict;
import java.util.ArrayList;
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
    public Comparison comparison(long studyId, double tolerance) {
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
        return new Comparison(studyId, complete, tolerance, metrics, rows);
    }

    private static Comparison.ModelRow row(
            String model,
            List<StudyManagement.Member> members,
            Map<Long, RunRecord> baselineOfSeed,
            Map<String, Comparison.TaskMetric> metrics,
            double tolerance) {
        boolean baseline = model.equals(StudyManagement.SINGLE);
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> gains = new LinkedHashMap<>();
        List<Double> seconds = new ArrayList<>();
        long parameters = 0;
        int done = 0;
        for (StudyManagement.Member m : members) {
            RunResult result = m.run().state() == RunState.SUCCEEDED ? m.run().result() : null;
            RunRecord single = baselineOfSeed.get(m.seed());
            RunResult base = single != null && single.state() == RunState.SUCCEEDED ? single.result() : null;
            if (result == null || (!baseline && base == null)) {
                continue;
            }
            done++;
            parameters = result.parameters();
            seconds.add(result.trainSeconds());
            for (String task : metrics.keySet()) {
                RunResult.TaskResult r = result.test().get(task);
                values.computeIfAbsent(task, t -> new ArrayList<>()).add(r.value());
                if (!baseline) {
                    RunResult.TaskResult b = base.test().get(task);
                    gains.computeIfAbsent(task, t -> new ArrayList<>())
                            .add(MtlGain.of(r.value(), b.value(), r.higherIsBetter()));
                }
            }
        }
        Map<String, Comparison.TaskRow> tasks = new LinkedHashMap<>();
        double[] meanGains = new double[metrics.size()];
        int k = 0;
        for (Map.Entry<String, Comparison.TaskMetric> e : metrics.entrySet()) {
            Comparison.Stat gain = baseline || done == 0 ? null : stat(gains.get(e.getKey()));
            if (gain != null) {
                meanGains[k] = gain.mean();
            }
            k++;
            tasks.put(
                    e.getKey(),
                    new Comparison.TaskRow(
                            e.getValue().metric(), done == 0 ? null : stat(values.get(e.getKey())), gain));
        }
        SeesawVerdict verdict = baseline || done == 0 ? null : SeesawVerdict.of(meanGains, tolerance);
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
