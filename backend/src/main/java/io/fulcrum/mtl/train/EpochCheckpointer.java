package io.fulcrum.mtl.train;

import io.fulcrum.mtl.MtlModel;

/**
 * Called on the training thread after every completed epoch, once its EPOCH report and early-stopping
 * bookkeeping are done (also after the epoch that triggers early stopping), with the model holding that
 * epoch's parameters and the state to resume after it. Save both with
 * {@link TrainingCheckpoint#save(MtlModel, TrainingState, java.nio.file.Path)} before returning: training
 * goes on changing the parameters afterwards. An exception thrown here ends training with it.
 */
@FunctionalInterface
public interface EpochCheckpointer {

    EpochCheckpointer NONE = (model, state) -> {};

    void onEpochEnd(MtlModel model, TrainingState state);
}
