package io.fulcrum.experiment;

/**
 * One metric value of a run. {@code step} is the global training step (for epoch metrics, the step
 * at the end of the epoch); together with run, split, name and task it is the point's key, so
 * writing the same point again (a resumed run repeating an epoch) replaces it.
 *
 * @param task the task's name, or "" for run-level metrics such as samples_per_second
 */
public record MetricPoint(long runId, String split, String name, String task, long step, int epoch, double value) {

    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";
}
