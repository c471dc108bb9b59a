package io.fulcrum.mtl.metric;

import io.fulcrum.mtl.model.TaskType;

/**
 * One task's metrics on its in-space samples: AUC and log-loss for binary tasks (on probabilities),
 * MSE and MAE for both kinds (for binary tasks on the probability, i.e. the Brier score). The primary
 * metric is AUC for binary tasks (higher is better) and MSE for regression (lower is better).
 */
public record TaskMetrics(String task, TaskType type, int samples, double auc, double logLoss, double mse, double mae) {

    private static final double EPS = 1e-7;

    /** @param predictions probabilities for binary tasks, values for regression */
    public static TaskMetrics of(String task, TaskType type, double[] predictions, double[] labels, boolean[] inSpace) {
        int n = 0;
        for (boolean b : inSpace) {
            n += b ? 1 : 0;
        }
        double[] p = new double[n];
        double[] y = new double[n];
        for (int i = 0, j = 0; i < predictions.length; i++) {
            if (inSpace[i]) {
                p[j] = predictions[i];
                y[j++] = labels[i];
            }
        }
        double se = 0;
        double ae = 0;
        double ll = 0;
        for (int i = 0; i < n; i++) {
            double e = p[i] - y[i];
            se += e * e;
            ae += Math.abs(e);
            if (type == TaskType.BINARY) {
                double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
                ll -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
            }
        }
        double auc = Double.NaN;
        if (type == TaskType.BINARY) {
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                positive[i] = y[i] > 0.5;
            }
            auc = Auc.of(p, positive);
        }
        double count = Math.max(n, 1);
        return new TaskMetrics(
                task, type, n, auc, type == TaskType.BINARY ? ll / count : Double.NaN, se / count, ae / count);
    }

    public String primaryName() {
        return type == TaskType.BINARY ? "AUC" : "MSE";
    }

    public double primary() {
        return type == TaskType.BINARY ? auc : mse;
    }

    public boolean higherIsBetter() {
        return type == TaskType.BINARY;
    }
}
