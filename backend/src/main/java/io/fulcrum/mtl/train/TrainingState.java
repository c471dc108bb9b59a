package io.fulcrum.mtl.train;

import io.fulcrum.mtl.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything besides the model's parameters that a training needs to go on from an epoch boundary
 * exactly as if it had never stopped. Arrays are host copies taken at the epoch end; treat them as
 * read-only. Resuming also needs the same config (the epoch budget may differ), the same data, and on
 * CPU the same thread count.
 *
 * @param config the settings the run was started with; a resume checks them
 * @param trainRows rows of the training set (the shuffle order depends on it)
 * @param validationRows rows of the validation set, 0 when there is none
 * @param epochsDone epochs completed; the resumed run starts with epoch {@code epochsDone + 1} (1-based)
 * @param globalStep steps taken so far; the resumed run's first step report has {@code globalStep + 1}
 * @param trainedSamples samples trained on so far
 * @param trainSeconds training time so far (wall time of the steps, not of validation)
 * @param history the EPOCH reports so far, one per completed epoch
 * @param earlyStopping the best epoch so far and the bad epochs since
 * @param lossWeights the loss-weight schedule's {@code state()}
 * @param optimizer Adam's moments and update count
 */
public record TrainingState(
        TrainingConfig config,
        int trainRows,
        int validationRows,
        int epochsDone,
        long globalStep,
        long trainedSamples,
        double trainSeconds,
        List<TrainingProgress> history,
        EarlyStopping earlyStopping,
        Map<String, double[]> lossWeights,
        OptimizerState optimizer) {

    public TrainingState {
        history = List.copyOf(history);
        lossWeights = Map.copyOf(lossWeights);
    }

    /** A state only continues the run it came from: same settings (bar the epoch budget) and data sizes. */
    void checkContinues(TrainingConfig run, int trainRows, int validationRows) {
        Map<String, Boolean> same = new LinkedHashMap<>();
        same.put("learningRate", config.learningRate() == run.learningRate());
        same.put("weightDecay", config.weightDecay() == run.weightDecay());
        same.put("batchSize", config.batchSize() == run.batchSize());
        same.put("patience", config.patience() == run.patience());
        same.put("monitor", config.monitor().equals(run.monitor()));
        same.put("balancing", config.balancing().equals(run.balancing()));
        same.put("clipNorm", config.clipNorm() == run.clipNorm());
        same.put("seed", config.seed() == run.seed());
        same.put(
                "lossWeights",
                Json.MAPPER.valueToTree(config.lossWeights()).equals(Json.MAPPER.valueToTree(run.lossWeights())));
        List<String> differ = same.entrySet().stream()
                .filter(e -> !e.getValue())
                .map(Map.Entry::getKey)
                .toList();
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("resume: the state was saved with a different " + differ);
        }
        if (this.trainRows != trainRows || this.validationRows != validationRows) {
            throw new IllegalArgumentException("resume: the state was saved training on " + this.trainRows
                    + " rows validated on " + this.validationRows + ", this run has " + trainRows + " and "
                    + validationRows);
        }
    }

    /**
     * @param bestValue the best monitored value so far (NaN before the first validation)
     * @param bestEpoch its epoch, 1-based (0 when none; the last epoch without a validation set)
     * @param badEpochs epochs since then that did not improve on it
     * @param bestParameters the best epoch's parameters by name, null when there is no validation set; in a
     *     model whose tasks share nothing, each task's parameters come from that task's best epoch
     * @param tasks each task's own early stopping, in task order, in a model whose tasks share nothing;
     *     empty otherwise
     */
    public record EarlyStopping(
            double bestValue,
            int bestEpoch,
            int badEpochs,
            Map<String, float[]> bestParameters,
            List<TaskStopping> tasks) {

        public EarlyStopping {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }
    }

    /** One task's early stopping: its best monitored value, that epoch (1-based) and the bad epochs since. */
    public record TaskStopping(String task, double bestValue, int bestEpoch, int badEpochs) {}

    /**
     * @param updates Adam's step count t (its bias correction depends on it)
     * @param means first moments by trainable name
     * @param variances second moments by trainable name
     */
    public record OptimizerState(int updates, Map<String, float[]> means, Map<String, float[]> variances) {}
}
