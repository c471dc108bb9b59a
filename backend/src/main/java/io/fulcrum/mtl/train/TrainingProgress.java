package io.fulcrum.mtl.train;

import io.fulcrum.mtl.metric.TaskMetrics;
import java.util.Map;

/**
 * A progress report. STEP reports carry the step's per-task losses and weights; EPOCH reports carry
 * the epoch's mean task losses, the validation metrics and the monitored value. {@code epoch} is 1-based;
 * {@code step} is the global step count (a STEP report's own step, 1-based; an EPOCH report's steps so
 * far). Both depend only on the position in the run, so a resumed run reports the steps of the epoch it
 * repeats under the same numbers: a store may key step metrics on them.
 */
public record TrainingProgress(
        Kind kind,
        int epoch,
        long step,
        double[] taskLosses,
        float[] weights,
        Map<String, TaskMetrics> validation,
        double monitorValue,
        double samplesPerSecond) {

    public enum Kind {
        STEP,
        EPOCH
    }
}
