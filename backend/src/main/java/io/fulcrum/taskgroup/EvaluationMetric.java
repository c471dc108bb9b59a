package io.fulcrum.taskgroup;

/** How a task is judged on held-out data; MTL gain flips its sign for lower-is-better metrics. */
public enum EvaluationMetric {
    AUC(TaskKind.BINARY, true),
    LOGLOSS(TaskKind.BINARY, false),
    MSE(TaskKind.REGRESSION, false),
    MAE(TaskKind.REGRESSION, false);

    private final TaskKind kind;
    private final boolean higherIsBetter;

    EvaluationMetric(TaskKind kind, boolean higherIsBetter) {
        this.kind = kind;
        this.higherIsBetter = higherIsBetter;
    }

    public boolean fits(TaskKind taskKind) {
        return kind == taskKind;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public static EvaluationMetric defaultFor(TaskKind kind) {
        return kind == TaskKind.BINARY ? AUC : MSE;
    }
}
