package io.fulcrum.taskgroup;

/** What a task predicts: a probability (click, share) or a value (completion ratio). */
public enum TaskKind {
    BINARY,
    REGRESSION
}
