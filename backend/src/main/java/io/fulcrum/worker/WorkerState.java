package io.fulcrum.worker;

/** ACTIVE takes work; DRAINING finishes its runs and takes nothing new; LOST stopped heartbeating; STOPPED shut down. */
public enum WorkerState {
    ACTIVE,
    DRAINING,
    LOST,
    STOPPED
}
