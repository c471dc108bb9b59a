package io.fulcrum.mtl.train;

import java.util.List;

/**
 * How training ended. The model holds the parameters of {@code bestEpoch} (1-based; the last epoch when
 * there was no validation set). {@code epochsRun} counts the completed epochs, those in {@code epochs}
 * (resumed runs include the epochs before the resume); for a CANCELLED run it is the last epoch whose end
 * reached the {@link EpochCheckpointer}, so the epoch a resume goes on after.
 */
public record TrainingResult(
        Status status,
        int epochsRun,
        long steps,
        int bestEpoch,
        double bestMonitorValue,
        List<TrainingProgress> epochs,
        double trainSeconds,
        double samplesPerSecond,
        java.util.Map<String, Integer> taskBestEpochs) {

    public TrainingResult {
        taskBestEpochs = taskBestEpochs == null ? java.util.Map.of() : java.util.Map.copyOf(taskBestEpochs);
    }

    public enum Status {
        COMPLETED,
        EARLY_STOPPED,
        CANCELLED
    }
}
