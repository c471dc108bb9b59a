package io.fulcrum.mtl.train;

import io.fulcrum.mtl.MtlModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's running bookkeeping across epochs (counters, EPOCH history, early stopping), kept in
 * one place so that it can be written into a {@link TrainingState} and read back from one. In a model
 * whose tasks share nothing, each task also has its own early stopping ({@link #tasks}).
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
    // empty unless the tasks share nothing
    final List<TaskBook> tasks = new ArrayList<>();

    /** One task's early stopping in a model whose tasks share nothing. */
    static final class TaskBook {
        final String task;
        double best = Double.NaN;
        int bestEpoch;
        int badEpochs;

        TaskBook(String task) {
            this.task = task;
        }

        boolean stopped(int patience) {
            return patience > 0 && badEpochs >= patience;
        }
    }

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
        for (TrainingState.TaskStopping t : state.earlyStopping().tasks()) {
            TaskBook task = new TaskBook(t.task());
            task.best = t.bestValue();
            task.bestEpoch = t.bestEpoch();
            task.badEpochs = t.badEpochs();
            book.tasks.add(task);
        }
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
        List<TrainingState.TaskStopping> taskStopping = tasks.stream()
                .map(t -> new TrainingState.TaskStopping(t.task, t.best, t.bestEpoch, t.badEpochs))
                .toList();
        return new TrainingState(
                config,
                trainRows,
                validationRows,
                epochsDone,
                step,
                trainedSamples,
                seconds(),
                history,
                new TrainingState.EarlyStopping(best, bestEpoch, badEpochs, bestParameters, taskStopping),
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

    /** Puts the named parameters' current values into {@code into}, replacing what it held for them. */
    static void snapshot(MtlModel model, List<String> names, Map<String, float[]> into) {
        Map<String, ai.djl.nn.Parameter> byName = new LinkedHashMap<>();
        for (var p : model.namedParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        for (String name : names) {
            into.put(name, byName.get(name).getArray().toFloatArray());
        }
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
