package io.fulcrum.mtl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.loss.MaskedJointLoss;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the trainer treats a model whose tasks share no parameter (the single-task baseline): as K
 * trainings that happen to run in one loop. Each task's loss is computed from its own label column,
 * so that every operation on task k's network is the one a model of task k alone would run; its
 * gradients are clipped by their own norm; and it stops early on its own validation metric, its
 * parameters being kept from its own best epoch.
 */
final class SeparateTasks {

    private final List<String> names;
    private final List<TaskType> types;
    private final List<List<String>> ownParameters;
    private final List<MaskedJointLoss> losses = new ArrayList<>();
    private final List<Monitor> monitors = new ArrayList<>();
    // per task, the positions of its arrays among the trainables
    private final int[][] trainableIndices;

    /**
     * @param ownParameters each task's parameter names, as the block's {@code taskParameterNames()} gives them
     * @param trainables the trainer's trainable names, in the order the gradients come in
     */
    SeparateTasks(MtlModel model, List<List<String>> ownParameters, Monitor monitor, List<String> trainables) {
        this.names = model.spec().taskNames();
        this.types = model.spec().taskTypes();
        this.ownParameters = ownParameters;
        this.trainableIndices = new int[names.size()][];
        for (int t = 0; t < names.size(); t++) {
            losses.add(new MaskedJointLoss(List.of(types.get(t))));
            monitors.add(monitor.forTask(names.get(t), types.get(t)));
            List<String> own = ownParameters.get(t);
            trainableIndices[t] = java.util.stream.IntStream.range(0, trainables.size())
                    .filter(i -> own.contains(trainables.get(i)))
                    .toArray();
        }
    }

    /**
     * (K) losses, task k's from its output and its own (B, 1) label and mask columns taken from the
     * host's row-major (B, K) buffers.
     */
    NDArray taskLosses(
            NDManager manager, NDList outputs, float[] labels, float[] mask, int count, NDArray sampleWeights) {
        int k = names.size();
        NDList perTask = new NDList(k);
        for (int t = 0; t < k; t++) {
            NDArray y = manager.create(column(labels, count, k, t), new Shape(count, 1));
            NDArray m = manager.create(column(mask, count, k, t), new Shape(count, 1));
            perTask.add(losses.get(t).taskLosses(new NDList(outputs.get(t)), y, m, sampleWeights));
        }
        return k == 1 ? perTask.get(0) : NDArrays.concat(perTask, 0);
    }

    private static float[] column(float[] rowMajor, int count, int k, int t) {
        float[] column = new float[count];
        for (int i = 0; i < count; i++) {
            column[i] = rowMajor[i * k + t];
        }
        return column;
    }

    /** The gradients of each task's parameters, in the trainables' order. */
    List<List<NDArray>> byTask(List<NDArray> gradients) {
        List<List<NDArray>> groups = new ArrayList<>(names.size());
        for (int[] indices : trainableIndices) {
            List<NDArray> group = new ArrayList<>(indices.length);
            for (int i : indices) {
                group.add(gradients.get(i));
            }
            groups.add(group);
        }
        return groups;
    }

    /** Starts each task's early stopping in a new book (a resumed one has it already). */
    void open(EpochBook book) {
        if (book.tasks.isEmpty()) {
            for (String name : names) {
                book.tasks.add(new EpochBook.TaskBook(name));
            }
        }
    }

    /**
     * Each task that has not stopped yet reads its metric: an improvement becomes its best epoch and its
     * parameters are kept as they are now. The book's own best is the mean of the tasks' bests and its
     * best epoch the latest of theirs.
     */
    void endEpoch(EpochBook book, MtlModel model, Map<String, TaskMetrics> metrics, int epoch, int patience) {
        if (book.bestParameters == null) {
            book.bestParameters = new LinkedHashMap<>();
        }
        for (int t = 0; t < names.size(); t++) {
            EpochBook.TaskBook task = book.tasks.get(t);
            if (task.stopped(patience)) {
                continue; // its best epoch is final, as it would be had it trained alone
            }
            Monitor monitor = monitors.get(t);
            double value = monitor.value(metrics);
            if (monitor.improves(value, task.best)) {
                task.best = value;
                task.bestEpoch = epoch;
                task.badEpochs = 0;
                EpochBook.snapshot(model, ownParameters.get(t), book.bestParameters);
            } else if (patience > 0) {
                task.badEpochs++;
            }
        }
        book.best = book.tasks.stream().mapToDouble(t -> t.best).average().orElse(Double.NaN);
        book.bestEpoch = book.tasks.stream().mapToInt(t -> t.bestEpoch).max().orElse(0);
    }

    /** Without a validation set every task's best epoch is the last one. */
    void endEpochUnvalidated(EpochBook book, int epoch) {
        for (EpochBook.TaskBook task : book.tasks) {
            task.bestEpoch = epoch;
        }
        book.bestEpoch = epoch;
    }

    boolean allStopped(EpochBook book, int patience) {
        return !book.tasks.isEmpty() && book.tasks.stream().allMatch(t -> t.stopped(patience));
    }

    /** A task that never improved (its metric was never a number) keeps its last epoch's parameters. */
    void completeBest(EpochBook book, MtlModel model) {
        if (book.bestParameters == null) {
            return;
        }
        for (int t = 0; t < names.size(); t++) {
            if (!book.bestParameters.containsKey(ownParameters.get(t).get(0))) {
                EpochBook.snapshot(model, ownParameters.get(t), book.bestParameters);
            }
        }
    }

    /** Each task's best epoch (1-based), by task name. */
    Map<String, Integer> bestEpochs(EpochBook book) {
        Map<String, Integer> epochs = new LinkedHashMap<>();
        for (EpochBook.TaskBook task : book.tasks) {
            epochs.put(task.task, task.bestEpoch);
        }
        return epochs;
    }
}
