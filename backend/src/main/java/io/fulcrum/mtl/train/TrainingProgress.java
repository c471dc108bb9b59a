package io.fulcrum.mtl.train;

import io.fulcrum.mtl.metric.TaskMetrics;
import java.util.Map;

/**
 * A progress report. STEP reports carry the step's per-task losses and weights; EPOCH reports carry
 * the epoch's mean task losses, the validation metrics and the monitored value.
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
