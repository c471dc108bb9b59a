package io.fulcrum.taskgroup;

/** The per-task training loss; each fits exactly one {@link TaskKind}. */
public enum TaskLoss {
    /** Binary cross-entropy on the logit. */
    BCE(TaskKind.BINARY),
    /** Mean squared error. */
    MSE(TaskKind.REGRESSION);

    private final TaskKind kind;

    TaskLoss(TaskKind kind) {
        this.kind = kind;
    }

    public boolean fits(TaskKind taskKind) {
        return kind == taskKind;
    }

    public static TaskLoss defaultFor(TaskKind kind) {
        return kind == TaskKind.BINARY ? BCE : MSE;
    }
}
