package io.fulcrum.mtl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.loss.LossWeightSchedule;
import io.fulcrum.mtl.loss.MaskedJointLoss;
import io.fulcrum.mtl.loss.TrainingClock;
import io.fulcrum.mtl.metric.TaskMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a model on encoded data with Adam and the masked joint loss. Each step lives in its own
 * sub-manager (batch arrays, activations, gradients' wrappers), so memory stays flat across epochs.
 * Same seed, data and thread count on CPU give the same result.
 */
public final class MtlTrainer {

    private final TrainingConfig config;
    private final ProgressListener listener;
    private final CancellationToken cancellation;

    public MtlTrainer(TrainingConfig config, ProgressListener listener, CancellationToken cancellation) {
        this.config = config;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.cancellation = cancellation == null ? new CancellationToken() : cancellation;
    }

    /** Trains on {@code train}; with a {@code validation} set, stops early and keeps the best epoch. */
    public TrainingResult fit(MtlModel model, MtlDataset train, MtlDataset validation) {
        checkTasks(model, train);
        Monitor monitor = Monitor.parse(config.monitor());
        Engine.getEngine(MtlModel.ENGINE).setRandomSeed((int) config.seed());
        Random shuffle = new Random(config.seed());
        int k = model.spec().taskCount();
        MaskedJointLoss loss = new MaskedJointLoss(model.spec().taskTypes());
        LossWeightSchedule schedule = config.lossWeights().create(model.spec().taskTypes(), model.manager());
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                .optWeightDecays((float) config.weightDecay())
                .build();
        List<Trainable> trainables = trainables(model, schedule);

        List<TrainingProgress> history = new ArrayList<>();
        double best = Double.NaN;
        int bestEpoch = 0;
        int badEpochs = 0;
        Map<String, float[]> bestParameters = null;
        long step = 0;
        long trainedSamples = 0;
        long trainNanos = 0;
        TrainingResult.Status status = TrainingResult.Status.COMPLETED;
        int epoch = 0;
        int[] order = new int[train.size()];
        java.util.Arrays.setAll(order, i -> i);
        Batch batch = new Batch(config.batchSize(), train.denseWidth(), train.categoricalWidth(), k);

        epochs:
        for (; epoch < config.epochs(); epoch++) {
            shuffle(order, shuffle);
            double[] lossSums = new double[k];
            int stepsThisEpoch = 0;
            long epochStart = System.nanoTime();
            for (int from = 0; from < order.length; from += config.batchSize()) {
                if (cancellation.isCancelled()) {
                    status = TrainingResult.Status.CANCELLED;
                    trainNanos += System.nanoTime() - epochStart;
                    break epochs;
                }
                int count = Math.min(config.batchSize(), order.length - from);
                TrainingClock clock = new TrainingClock(epoch, step);
                long t0 = System.nanoTime();
                float[] weights = schedule.weights(clock);
                float[] losses = step(model, train, order, from, count, batch, loss, schedule, clock, adam, trainables);
                step++;
                stepsThisEpoch++;
                trainedSamples += count;
                for (int t = 0; t < k; t++) {
                    if (!Float.isFinite(losses[t])) {
                        throw new TrainingDivergedException(
                                model.spec().taskNames().get(t), losses[t], epoch + 1, step);
                    }
                    lossSums[t] += losses[t];
                }
                double perSecond = count / ((System.nanoTime() - t0) / 1e9);
                listener.onProgress(new TrainingProgress(
                        TrainingProgress.Kind.STEP,
                        epoch + 1,
                        step,
                        toDouble(losses),
                        weights,
                        null,
                        Double.NaN,
                        perSecond));
            }
            long epochNanos = System.nanoTime() - epochStart;
            trainNanos += epochNanos;
            double[] meanLosses = new double[k];
            for (int t = 0; t < k; t++) {
                meanLosses[t] = lossSums[t] / Math.max(stepsThisEpoch, 1);
            }
            schedule.endEpoch(meanLosses);

            Map<String, TaskMetrics> metrics = validation == null
                    ? Map.of()
                    : Evaluator.evaluate(model, validation, Math.max(config.batchSize(), 1024), false)
                            .tasks();
            double value = validation == null ? Double.NaN : monitor.value(metrics);
            TrainingProgress report = new TrainingProgress(
                    TrainingProgress.Kind.EPOCH,
                    epoch + 1,
                    step,
                    meanLosses,
                    schedule.weights(new TrainingClock(epoch + 1, step)),
                    new LinkedHashMap<>(metrics),
                    value,
                    order.length / (epochNanos / 1e9));
            history.add(report);
            listener.onProgress(report);
            if (validation == null) {
                bestEpoch = epoch + 1;
                continue;
            }
            if (monitor.improves(value, best)) {
                best = value;
                bestEpoch = epoch + 1;
                badEpochs = 0;
                bestParameters = snapshot(model);
            } else if (config.patience() > 0 && ++badEpochs >= config.patience()) {
                status = TrainingResult.Status.EARLY_STOPPED;
                epoch++;
                break;
            }
        }
        if (bestParameters != null) {
            restore(model, bestParameters);
        }
        double seconds = trainNanos / 1e9;
        return new TrainingResult(
                status, epoch, step, bestEpoch, best, history, seconds, seconds > 0 ? trainedSamples / seconds : 0);
    }

    private float[] step(
            MtlModel model,
            MtlDataset train,
            int[] order,
            int from,
            int count,
            Batch batch,
            MaskedJointLoss loss,
            LossWeightSchedule schedule,
            TrainingClock clock,
            Optimizer adam,
            List<Trainable> trainables) {
        int k = model.spec().taskCount();
        train.gather(order, from, count, batch.dense, batch.categorical, batch.labels, batch.mask);
        try (NDManager stepManager = model.manager().newSubManager()) {
            NDList inputs = model.inputs(
                    stepManager,
                    batch.slice(batch.dense, count, train.denseWidth()),
                    batch.slice(batch.categorical, count, train.categoricalWidth()),
                    count);
            NDArray labels = stepManager.create(batch.slice(batch.labels, count, k), new Shape(count, k));
            NDArray mask = stepManager.create(batch.slice(batch.mask, count, k), new Shape(count, k));
            float[] losses;
            try (NDManager scope = model.openScope(stepManager, schedule.trainableArrays());
                    GradientCollector collector =
                            Engine.getEngine(MtlModel.ENGINE).newGradientCollector()) {
                NDArray taskLosses = loss.taskLosses(model.forward(inputs, true).outputs(), labels, mask);
                collector.backward(schedule.combine(taskLosses, clock));
                losses = taskLosses.toFloatArray();
            }
            for (float l : losses) {
                if (!Float.isFinite(l)) {
                    zeroGradients(trainables, stepManager);
                    return losses; // the caller reports which task diverged; nothing is updated
                }
            }
            List<NDArray> gradients = new ArrayList<>(trainables.size());
            for (Trainable t : trainables) {
                NDArray g = t.array().getGradient();
                g.attach(stepManager);
                gradients.add(g);
            }
            if (config.clipNorm() > 0) {
                clip(gradients);
            }
            for (int i = 0; i < trainables.size(); i++) {
                adam.update(trainables.get(i).id(), trainables.get(i).array(), gradients.get(i));
                gradients.get(i).subi(gradients.get(i)); // gradients accumulate in the engine until zeroed
            }
            return losses;
        }
    }

    /** Scales all gradients together so that their global L2 norm is at most clipNorm. */
    private void clip(List<NDArray> gradients) {
        NDList squares = new NDList(gradients.size());
        for (NDArray g : gradients) {
            squares.add(g.square().sum());
        }
        double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        if (norm > config.clipNorm()) {
            float scale = (float) (config.clipNorm() / (norm + 1e-6));
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
    }

    private static void zeroGradients(List<Trainable> trainables, NDManager stepManager) {
        for (Trainable t : trainables) {
            NDArray g = t.array().getGradient();
            g.attach(stepManager);
            g.subi(g);
        }
    }

    private record Trainable(String id, NDArray array) {}

    private static List<Trainable> trainables(MtlModel model, LossWeightSchedule schedule) {
        List<Trainable> list = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            list.add(new Trainable(p.getId(), p.getArray()));
        }
        int i = 0;
        for (NDArray a : schedule.trainableArrays()) {
            list.add(new Trainable("lossWeights" + i++, a));
        }
        return list;
    }

    private static Map<String, float[]> snapshot(MtlModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            copy.put(p.getId(), p.getArray().toFloatArray());
        }
        return copy;
    }

    private static void restore(MtlModel model, Map<String, float[]> values) {
        for (Parameter p : model.parameters()) {
            p.getArray().set(values.get(p.getId()));
        }
    }

    private static void checkTasks(MtlModel model, MtlDataset data) {
        if (data.tasks() != model.spec().taskCount()) {
            throw new IllegalArgumentException("labels: the data has " + data.tasks()
                    + " label columns but the spec has " + model.spec().taskCount() + " tasks");
        }
        if (data.denseWidth() != model.spec().inputs().dense().size()
                || data.categoricalWidth()
                        != model.spec().inputs().categorical().size()) {
            throw new IllegalArgumentException("inputs: the data has " + data.denseWidth() + " dense and "
                    + data.categoricalWidth() + " categorical columns, the spec "
                    + model.spec().inputs().dense().size() + " and "
                    + model.spec().inputs().categorical().size());
        }
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** Reused host buffers for one batch. */
    private static final class Batch {
        final float[] dense;
        final long[] categorical;
        final float[] labels;
        final float[] mask;

        Batch(int size, int denseWidth, int categoricalWidth, int tasks) {
            dense = new float[size * denseWidth];
            categorical = new long[size * categoricalWidth];
            labels = new float[size * tasks];
            mask = new float[size * tasks];
        }

        float[] slice(float[] buffer, int rows, int width) {
            return rows * width == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, rows * width);
        }

        long[] slice(long[] buffer, int rows, int width) {
            return rows * width == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, rows * width);
        }
    }
}
