package io.fulcrum.mtl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.metric.ExpertUtilization;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.GateTrace;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.MtlForward;
import io.fulcrum.mtl.model.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a model over an encoded dataset: per-task metrics on in-space samples and expert utilization. */
public final class Evaluator {

    /**
     * Metrics per task name, the utilization of every gate (empty for gate-less architectures), and per
     * task that follows another (cvr after ctr) the metrics of the joint probability of the funnel up
     * to it (pCTCVR, on the first step's space with the label click AND purchase).
     */
    public record Evaluation(
            Map<String, TaskMetrics> tasks,
            List<ExpertUtilization.GateUtilization> gates,
            Map<String, TaskMetrics> joint) {}

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
        return new Evaluation(
                metrics,
                utilization == null ? List.of() : utilization.result(),
                joint(spec, encoded, predictions, model.block().predictsJointProbability()));
    }

    /**
     * Every architecture is scored on the same joint quantity: the product of the conditional
     * probabilities along the chain, or, for a model that predicts the joint probability itself (AITM),
     * its output.
     */
    private static Map<String, TaskMetrics> joint(
            ModelSpec spec, MtlDataset encoded, double[][] predictions, boolean predictsJoint) {
        Map<String, TaskMetrics> joint = new LinkedHashMap<>();
        int n = encoded.size();
        for (int t = 0; t < spec.taskCount(); t++) {
            if (spec.parentIndex(t) < 0 || !chainIsBinary(spec, t)) {
                continue;
            }
            int root = t;
            double[] score = predictions[t].clone();
            for (int p = spec.parentIndex(t); p >= 0; p = spec.parentIndex(p)) {
                root = p;
                if (!predictsJoint) {
                    for (int i = 0; i < n; i++) {
                        score[i] *= predictions[p][i];
                    }
                }
            }
            double[] labels = new double[n];
            boolean[] space = new boolean[n];
            for (int i = 0; i < n; i++) {
                labels[i] = encoded.inSpace(i, t) ? encoded.label(i, t) : 0;
                space[i] = encoded.inSpace(i, root);
            }
            String name = spec.tasks().get(t).name();
            joint.put(name, TaskMetrics.of(name, TaskType.BINARY, score, labels, space));
        }
        return joint;
    }

    private static boolean chainIsBinary(ModelSpec spec, int t) {
        for (int p = t; p >= 0; p = spec.parentIndex(p)) {
            if (spec.tasks().get(p).type() != TaskType.BINARY) {
                return false;
            }
        }
        return true;
    }

    static void forEachBatch(
            MtlModel model, MtlDataset data, int batchSize, ExpertUtilization utilization, BatchConsumer consumer) {
        int n = data.size();
        int k = model.spec().taskCount();
        int[] rows = new int[n];
        java.util.Arrays.setAll(rows, i -> i);
        try (MtlModel.Inference inference = model.inference()) {
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
                    MtlForward forward = inference.forward(model.inputs(batch, dense, cat, count));
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
}
