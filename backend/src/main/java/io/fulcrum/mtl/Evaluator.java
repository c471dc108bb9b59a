package io.fulcrum.mtl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.metric.ExpertUtilization;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.GateTrace;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.MtlForward;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a model over an encoded dataset: per-task metrics on in-space samples and expert utilization. */
public final class Evaluator {

    /** Metrics per task name, and the utilization of every gate (empty for gate-less architectures). */
    public record Evaluation(Map<String, TaskMetrics> tasks, List<ExpertUtilization.GateUtilization> gates) {}

    interface BatchConsumer {
        void accept(int from, int count, float[][] predictions);
    }

    private Evaluator() {}

    public static Evaluation evaluate(MtlModel model, MtlDataset encoded, int batchSize, boolean withUtilization) {
        ModelSpec spec = model.spec();
        int k = spec.taskCount();
        int n = encoded.size();
        double[][] predictions = new double[k][n];
        ExpertUtilization utilization = withUtilization ? new ExpertUtilization() : null;
        forEachBatch(model, encoded, batchSize, utilization, (from, count, outputs) -> {
            for (int t = 0; t < k; t++) {
                for (int i = 0; i < count; i++) {
                    predictions[t][from + i] = outputs[t][i];
                }
            }
        });
        Map<String, TaskMetrics> metrics = new LinkedHashMap<>();
        for (int t = 0; t < k; t++) {
            double[] labels = new double[n];
            boolean[] inSpace = new boolean[n];
            for (int i = 0; i < n; i++) {
                labels[i] = encoded.label(i, t);
                inSpace[i] = encoded.inSpace(i, t);
            }
            ModelSpec.TaskSpec task = spec.tasks().get(t);
            metrics.put(task.name(), TaskMetrics.of(task.name(), task.type(), predictions[t], labels, inSpace));
        }
        return new Evaluation(metrics, utilization == null ? List.of() : utilization.result());
    }

    static void forEachBatch(
            MtlModel model, MtlDataset data, int batchSize, ExpertUtilization utilization, BatchConsumer consumer) {
        int n = data.size();
        int k = model.spec().taskCount();
        int[] rows = new int[n];
        java.util.Arrays.setAll(rows, i -> i);
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            float[] dense;
            long[] cat;
            if (count == n) {
                // one batch of everything (a ranking request): the rows are already laid out as a batch
                dense = data.dense();
                cat = data.categorical();
            } else {
                dense = new float[count * data.denseWidth()];
                cat = new long[count * data.categoricalWidth()];
                data.gather(rows, from, count, dense, cat, new float[count * k], new float[count * k]);
            }
            float[][] outputs = new float[k][];
            try (NDManager batch = model.manager().newSubManager();
                    NDManager scope = model.openScope(batch, List.of())) {
                MtlForward forward = model.forward(model.inputs(batch, dense, cat, count), false);
                NDList out = forward.outputs();
                for (int t = 0; t < k; t++) {
                    outputs[t] = MtlModel.toPrediction(
                            model.spec().tasks().get(t).type(), out.get(t).toFloatArray());
                }
                if (utilization != null) {
                    for (GateTrace.GateReading r : forward.gates().readings()) {
                        utilization.add(r.gate(), r.experts(), r.weights().toFloatArray());
                    }
                }
            }
            consumer.accept(from, count, outputs);
        }
    }
}
