package io.fulcrum.mtl.train;

import io.fulcrum.mtl.loss.LossWeightSpec;

/**
 * Optimisation settings. {@code monitor} is "loss" (the mean of the tasks' validation losses, lower is
 * better), "auc" (the mean validation AUC of the binary tasks) or "task:metric" with metric auc, mse,
 * mae or logloss; patience 0 disables early stopping;
 * clipNorm 0 disables gradient-norm clipping; {@code balancing} combines the tasks' gradients on the
 * shared parameters (null: summed as they are).
 */
public record TrainingConfig(
        double learningRate,
        double weightDecay,
        int batchSize,
        int epochs,
        int patience,
        String monitor,
        double clipNorm,
        long seed,
        LossWeightSpec lossWeights,
        GradientBalancing balancing) {

    public TrainingConfig {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate: must be > 0, got " + learningRate);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weightDecay: must be >= 0, got " + weightDecay);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience: must be >= 0, got " + patience);
        }
        if (clipNorm < 0) {
            throw new IllegalArgumentException("clipNorm: must be >= 0, got " + clipNorm);
        }
        monitor = monitor == null ? "loss" : monitor;
        lossWeights = lossWeights == null ? new LossWeightSpec.Constant(null) : lossWeights;
        balancing = balancing == null ? GradientBalancing.NONE : balancing;
    }

    public TrainingConfig(
            double learningRate,
            double weightDecay,
            int batchSize,
            int epochs,
            int patience,
            String monitor,
            double clipNorm,
            long seed,
            LossWeightSpec lossWeights) {
        this(learningRate, weightDecay, batchSize, epochs, patience, monitor, clipNorm, seed, lossWeights, null);
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(1e-3, 0, 256, 10, 3, "loss", 0, 42, null);
    }

    public TrainingConfig withEpochs(int value) {
        return new TrainingConfig(
                learningRate, weightDecay, batchSize, value, patience, monitor, clipNorm, seed, lossWeights, balancing);
    }

    public TrainingConfig withBatchSize(int value) {
        return new TrainingConfig(
                learningRate, weightDecay, value, epochs, patience, monitor, clipNorm, seed, lossWeights, balancing);
    }

    public TrainingConfig withWeightDecay(double value) {
        return new TrainingConfig(
                learningRate, value, batchSize, epochs, patience, monitor, clipNorm, seed, lossWeights, balancing);
    }

    public TrainingConfig withLearningRate(double value) {
        return new TrainingConfig(
                value, weightDecay, batchSize, epochs, patience, monitor, clipNorm, seed, lossWeights, balancing);
    }

    public TrainingConfig withSeed(long value) {
        return new TrainingConfig(
                learningRate,
                weightDecay,
                batchSize,
                epochs,
                patience,
                monitor,
                clipNorm,
                value,
                lossWeights,
                balancing);
    }

    public TrainingConfig withPatience(int value) {
        return new TrainingConfig(
                learningRate, weightDecay, batchSize, epochs, value, monitor, clipNorm, seed, lossWeights, balancing);
    }

    /** Whether {@code expression} is a monitor the trainer reads (the task itself is checked when training starts). */
    public static boolean isMonitor(String expression) {
        try {
            Monitor.parse(expression);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public TrainingConfig withMonitor(String value) {
        return new TrainingConfig(
                learningRate, weightDecay, batchSize, epochs, patience, value, clipNorm, seed, lossWeights, balancing);
    }

    public TrainingConfig withClipNorm(double value) {
        return new TrainingConfig(
                learningRate, weightDecay, batchSize, epochs, patience, monitor, value, seed, lossWeights, balancing);
    }

    public TrainingConfig withLossWeights(LossWeightSpec value) {
        return new TrainingConfig(
                learningRate, weightDecay, batchSize, epochs, patience, monitor, clipNorm, seed, value, balancing);
    }

    public TrainingConfig withBalancing(GradientBalancing value) {
        return new TrainingConfig(
                learningRate, weightDecay, batchSize, epochs, patience, monitor, clipNorm, seed, lossWeights, value);
    }
}
