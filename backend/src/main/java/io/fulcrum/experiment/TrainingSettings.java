package io.fulcrum.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.train.GradientBalancing;
import io.fulcrum.mtl.train.TrainingConfig;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a run trains. Absent fields take the defaults below; early stopping watches {@code monitor}
 * on the validation split and stops after {@code patience} epochs without improvement (0 = never),
 * keeping the best epoch's parameters either way. {@code useSampleWeights} is resolved against the
 * dataset when the run is planned: true or false for a dataset with a WEIGHT column, null for one without.
 */
@Schema(description = "Training settings; absent fields take their defaults")
public record TrainingSettings(
        @Schema(description = "Epochs, 1 to 1000", example = "5", defaultValue = "5")
        Integer epochs,

        @Schema(description = "Samples per step, 1 to 65536", example = "1024", defaultValue = "1024")
        Integer batchSize,

        @Schema(description = "Adam's learning rate, in (0, 1]", example = "0.001", defaultValue = "0.001")
        Double learningRate,

        @Schema(description = "L2 weight decay, >= 0", defaultValue = "0")
        Double weightDecay,

        @Schema(description = "Only adam for now", defaultValue = "adam")
        String optimizer,

        @Schema(description = "Seed of initialisation and shuffling", defaultValue = "1")
        Long seed,

        @Schema(description = "Early-stopping patience in epochs; 0 disables it", defaultValue = "2")
        Integer patience,

        @Schema(
                description = "loss (mean validation loss), auc (mean validation AUC of the binary tasks), or"
                        + " task:metric with metric auc, mse, mae or logloss",
                defaultValue = "loss")
        String monitor,

        @Schema(description = "Global gradient-norm clip; 0 disables it", defaultValue = "0")
        Double clipNorm,

        @Schema(description = "Widest embedding of a categorical column, 1 to 256", defaultValue = "16")
        Integer maxEmbeddingDim,

        @Schema(
                description = "Whether the training loss weighs each sample by the dataset's WEIGHT column"
                        + " (metrics stay unweighted). Default: true when the dataset has a WEIGHT column;"
                        + " true for a dataset without one is refused, and a run on such a dataset shows null")
        // left out of the JSON when null, so that a run on a dataset without weights keeps the config hash
        // it had before this setting existed (a finished baseline is still found and reused)
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Boolean useSampleWeights,

        @Schema(
                description = "Gradient balancing of the run, set from its model's balancing"
                        + " (model.balancing, models[i].balancing); absent when the tasks' gradients are summed",
                accessMode = Schema.AccessMode.READ_ONLY)
        // absent when off, for the same reason as useSampleWeights
        @JsonInclude(JsonInclude.Include.NON_NULL)
        GradientBalancing balancing) {

    public static final TrainingSettings DEFAULTS =
            new TrainingSettings(5, 1024, 1e-3, 0.0, "adam", 1L, 2, "loss", 0.0, 16, null, null);

    /** Settings without a balancing, as every request gives them. */
    public TrainingSettings(
            Integer epochs,
            Integer batchSize,
            Double learningRate,
            Double weightDecay,
            String optimizer,
            Long seed,
            Integer patience,
            String monitor,
            Double clipNorm,
            Integer maxEmbeddingDim,
            Boolean useSampleWeights) {
        this(
                epochs,
                batchSize,
                learningRate,
                weightDecay,
                optimizer,
                seed,
                patience,
                monitor,
                clipNorm,
                maxEmbeddingDim,
                useSampleWeights,
                null);
    }

    /** Every absent field at its default; {@code useSampleWeights} depends on the dataset and stays as given. */
    public TrainingSettings withDefaults() {
        return new TrainingSettings(
                epochs == null ? DEFAULTS.epochs : epochs,
                batchSize == null ? DEFAULTS.batchSize : batchSize,
                learningRate == null ? DEFAULTS.learningRate : learningRate,
                weightDecay == null ? DEFAULTS.weightDecay : weightDecay,
                optimizer == null ? DEFAULTS.optimizer : optimizer,
                seed == null ? DEFAULTS.seed : seed,
                patience == null ? DEFAULTS.patience : patience,
                monitor == null ? DEFAULTS.monitor : monitor,
                clipNorm == null ? DEFAULTS.clipNorm : clipNorm,
                maxEmbeddingDim == null ? DEFAULTS.maxEmbeddingDim : maxEmbeddingDim,
                useSampleWeights,
                balancing);
    }

    public TrainingSettings withSeed(long value) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                weightDecay,
                optimizer,
                value,
                patience,
                monitor,
                clipNorm,
                maxEmbeddingDim,
                useSampleWeights,
                balancing);
    }

    public TrainingSettings withSampleWeights(Boolean value) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                weightDecay,
                optimizer,
                seed,
                patience,
                monitor,
                clipNorm,
                maxEmbeddingDim,
                value,
                balancing);
    }

    /** With the model's balancing; none (or null) leaves it absent. */
    public TrainingSettings withBalancing(GradientBalancing value) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                weightDecay,
                optimizer,
                seed,
                patience,
                monitor,
                clipNorm,
                maxEmbeddingDim,
                useSampleWeights,
                value == null || !value.active() ? null : value);
    }

    /** Whether training weighs samples: only when the planner resolved it to true. */
    public boolean sampleWeighted() {
        return Boolean.TRUE.equals(useSampleWeights);
    }

    /** The engine's configuration; call on settings with defaults filled in. */
    public TrainingConfig toConfig(LossWeightSpec lossWeights) {
        return new TrainingConfig(
                learningRate,
                weightDecay,
                batchSize,
                epochs,
                patience,
                monitor,
                clipNorm,
                seed,
                lossWeights,
                balancing);
    }
}
