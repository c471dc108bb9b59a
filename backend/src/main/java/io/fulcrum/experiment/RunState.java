package io.fulcrum.experiment;

/** QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; a lost lease or a shutdown puts RUNNING back to QUEUED. */
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
