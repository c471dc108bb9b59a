package io.fulcrum.mtl.train;

import io.fulcrum.mtl.MtlModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's running bookkeeping across epochs (counters, EPOCH history, early stopping), kept in
 * one place so that it can be written into a {@link TrainingState} and read back from one.
 */
final class EpochBook {

    int epochsDone;
    long step;
    long trainedSamples;
    double priorSeconds;
    long trainNanos;
    final List<TrainingProgress> history = new ArrayList<>();
    double best = Double.NaN;
    int bestEpoch;
    int badEpochs;
    Map<String, float[]> bestParameters;

    static EpochBook from(TrainingState state) {
        EpochBook book = new EpochBook();
        book.epochsDone = state.epochsDone();
        book.step = state.globalStep();
        book.trainedSamples = state.trainedSamples();
        book.priorSeconds = state.trainSeconds();
        book.history.addAll(state.history());
        book.best = state.earlyStopping().bestValue();
        book.bestEpoch = state.earlyStopping().bestEpoch();
        book.badEpochs = state.earlyStopping().badEpochs();
        book.bestParameters = state.earlyStopping().bestParameters();
        return book;
    }

    double seconds() {
        return priorSeconds + trainNanos / 1e9;
    }

    TrainingState toState(
            TrainingConfig config,
            int trainRows,
            int validationRows,
            Map<String, double[]> lossWeights,
            TrainingState.OptimizerState optimizer) {
        return new TrainingState(
                config,
                trainRows,
                validationRows,
                epochsDone,
                step,
                trainedSamples,
                seconds(),
                history,
                new TrainingState.EarlyStopping(best, bestEpoch, badEpochs, bestParameters),
                lossWeights,
                optimizer);
    }

    /** The parameters by their names in the block, which are the same in every model built from a spec. */
    static Map<String, float[]> snapshot(MtlModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (var p : model.namedParameters()) {
            copy.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return copy;
    }

    static void restore(MtlModel model, Map<String, float[]> values) {
        for (var p : model.namedParameters()) {
            float[] v = values.get(p.getKey());
            if (v == null || v.length != p.getValue().getArray().size()) {
                throw new IllegalArgumentException("parameters: no saved values of the right size for " + p.getKey());
            }
            p.getValue().getArray().set(v);
        }
    }
}
