package io.fulcrum.mtl.train;

import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.TaskType;
import java.util.Map;

/** Reads the early-stopping value out of validation metrics and says which direction is better. */
record Monitor(String task, String metric) {

    static Monitor parse(String expression) {
        if (expression.equals("loss") || expression.equals("auc")) {
            return new Monitor(null, expression);
        }
        // the first colon: task names hold none, so "a:b:auc" names the unknown metric "b:auc"
        int colon = expression.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "monitor: expected 'loss', 'auc' or 'task:metric', got '" + expression + "'");
        }
        String metric = expression.substring(colon + 1);
        if (!java.util.List.of("auc", "mse", "mae", "logloss").contains(metric)) {
            throw new IllegalArgumentException("monitor: unknown metric '" + metric + "'");
        }
        return new Monitor(expression.substring(0, colon), metric);
    }

    /**
     * What one task of a model whose tasks share nothing stops on: this monitor's metric on that task
     * when the metric fits the task's type (auc and logloss binary, mse and mae regression), the task's
     * own training loss (logloss or mse) otherwise. A single task's "loss" or "auc" is thus what the
     * same monitor reads on a model of that task alone.
     */
    Monitor forTask(String name, TaskType type) {
        boolean fits = type == TaskType.BINARY
                ? metric.equals("auc") || metric.equals("logloss")
                : metric.equals("mse") || metric.equals("mae");
        return new Monitor(name, fits ? metric : type == TaskType.BINARY ? "logloss" : "mse");
    }

    boolean higherIsBetter() {
        return metric.equals("auc");
    }

    double value(Map<String, TaskMetrics> metrics) {
        if (task == null && metric.equals("auc")) {
            // the ranking quality of every binary task at once, for when AUC is what gets reported
            return metrics.values().stream()
                    .filter(m -> m.type() == TaskType.BINARY)
                    .mapToDouble(TaskMetrics::auc)
                    .average()
                    .orElseThrow(() -> new IllegalArgumentException("monitor: 'auc' needs a binary task"));
        }
        if (task == null) {
            // the same per-task losses the model trains on, unweighted
            return metrics.values().stream()
                    .mapToDouble(m -> m.type() == TaskType.BINARY ? m.logLoss() : m.mse())
                    .average()
                    .orElse(Double.NaN);
        }
        TaskMetrics m = metrics.get(task);
        if (m == null) {
            throw new IllegalArgumentException("monitor: unknown task '" + task + "'");
        }
        return switch (metric) {
            case "auc" -> m.auc();
            case "mse" -> m.mse();
            case "mae" -> m.mae();
            default -> m.logLoss();
        };
    }

    boolean improves(double candidate, double best) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        return Double.isNaN(best) || (higherIsBetter() ? candidate > best : candidate < best);
    }
}
