package io.fulcrum.mtl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.NativeHeap;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.loss.LossWeightSchedule;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.loss.MaskedJointLoss;
import io.fulcrum.mtl.loss.TrainingClock;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.LossInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trains a model on encoded data with Adam and the masked joint loss, weighting each sample by the
 * training data's per-sample weights when it has them. Each step lives in its own
 * sub-manager (batch arrays, activations, gradients' wrappers), so memory stays flat across epochs.
 * Same seed, data and thread count on CPU give the same result, also across a checkpoint and resume:
 * after every epoch an {@link EpochCheckpointer} gets the model and the {@link TrainingState}, and
 * {@link #fit(MtlModel, MtlDataset, MtlDataset, TrainingState)} goes on from such a state.
 */
public final class MtlTrainer {

    private final TrainingConfig config;
    private final ProgressListener listener;
    private final CancellationToken cancellation;
    private final EpochCheckpointer checkpointer;
    /** Steps whose losses are read from the device together; 0: 1 on the CPU, {@link #GPU_LOSS_READS} on a GPU. */
    private int lossReadInterval;

    /** On a GPU, reading every step's losses would wait for that step to finish before queueing the next. */
    public static final int GPU_LOSS_READS = 16;

    public MtlTrainer(TrainingConfig config, ProgressListener listener, CancellationToken cancellation) {
        this(config, listener, cancellation, null);
    }

    public MtlTrainer(
            TrainingConfig config,
            ProgressListener listener,
            CancellationToken cancellation,
            EpochCheckpointer checkpointer) {
        this.config = config;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.cancellation = cancellation == null ? new CancellationToken() : cancellation;
        this.checkpointer = checkpointer == null ? EpochCheckpointer.NONE : checkpointer;
    }

    /**
     * Reads the task losses of {@code steps} steps from the device at once (and at the end of every
     * epoch): the only per-step transfer to the host. Progress reports and the divergence check come
     * when they are read, so a non-finite loss is reported with its own step but found up to {@code
     * steps - 1} steps later; the run then stops before its epoch's checkpoint. 0 (the default): every
     * step on the CPU, where reading costs nothing, and every {@link #GPU_LOSS_READS} on a GPU.
     */
    public MtlTrainer withLossReadInterval(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("loss read interval must be 0 or more, got " + steps);
        }
        this.lossReadInterval = steps;
        return this;
    }

    /** Trains on {@code train}; with a {@code validation} set, stops early and keeps the best epoch. */
    public TrainingResult fit(MtlModel model, MtlDataset train, MtlDataset validation) {
        return fit(model, train, validation, null);
    }

    /**
     * Like {@link #fit(MtlModel, MtlDataset, MtlDataset)}; with {@code resumeFrom} (a state saved after epoch
     * e, and the model loaded from the same checkpoint) it goes on with epoch e + 1 and ends with the result
     * the uninterrupted run would have had: same parameters, EPOCH history, best epoch and stopping decision.
     * Step reports of the repeated epoch carry the same global step numbers as before the interruption.
     */
    public TrainingResult fit(MtlModel model, MtlDataset train, MtlDataset validation, TrainingState resumeFrom) {
        if (model.isFrozen()) {
            throw new IllegalStateException("a frozen model (a serving copy) is never trained");
        }
        checkTasks(model, train);
        Monitor monitor = Monitor.parse(config.monitor());
        int validationRows = validation == null ? 0 : validation.size();
        MaskedJointLoss loss = new MaskedJointLoss(model.spec().taskTypes());
        List<List<String>> ownParameters = model.block().taskParameterNames();
        // a task that shares nothing has one loss of its own: weighting it would change only its scale
        LossWeightSchedule schedule = (ownParameters.isEmpty()
                        ? config.lossWeights()
                        : new LossWeightSpec.Constant(null))
                .create(model.spec().taskTypes(), model.manager());
        Map<String, NDArray> trainables = trainables(model, schedule); // Adam's moments are keyed by name
        SeparateTasks separate = ownParameters.isEmpty()
                ? null
                : new SeparateTasks(model, ownParameters, monitor, List.copyOf(trainables.keySet()));
        balancer = balancer(model, schedule, separate, trainables.keySet());
        EpochBook book = new EpochBook();
        TrainingResult.Status status;
        try (AdamOptimizer adam = new AdamOptimizer((float) config.learningRate(), (float) config.weightDecay())) {
            if (resumeFrom != null) {
                resumeFrom.checkContinues(config, train.size(), validationRows);
                book = EpochBook.from(resumeFrom);
                schedule.restoreState(withoutBalancing(resumeFrom.lossWeights()));
                if (balancer != null) {
                    balancer.restore(resumeFrom.lossWeights());
                }
                adam.restore(resumeFrom.optimizer(), trainables);
            }
            if (separate != null) {
                separate.open(book);
            }
            status = epochs(model, train, validation, monitor, loss, separate, schedule, adam, trainables, book);
        } finally {
            NativeHeap.releaseFreeMemory(); // what the steps kept for reuse is not needed after the fit
        }
        if (separate != null) {
            separate.completeBest(book, model);
        }
        if (book.bestParameters != null) {
            EpochBook.restore(model, book.bestParameters);
        }
        double seconds = book.seconds();
        return new TrainingResult(
                status,
                book.epochsDone,
                book.step,
                book.bestEpoch,
                book.best,
                List.copyOf(book.history),
                seconds,
                seconds > 0 ? book.trainedSamples / seconds : 0,
                separate == null ? Map.of() : separate.bestEpochs(book));
    }

    private TrainingResult.Status epochs(
            MtlModel model,
            MtlDataset train,
            MtlDataset validation,
            Monitor monitor,
            MaskedJointLoss loss,
            SeparateTasks separate,
            LossWeightSchedule schedule,
            AdamOptimizer adam,
            Map<String, NDArray> trainables,
            EpochBook book) {
        int k = model.spec().taskCount();
        // one running generator, each epoch shuffling the previous order: a resume replays the shuffles
        // of the epochs done, so uninterrupted runs keep the orders they always had
        Random shuffle = new Random(config.seed());
        int[] order = new int[train.size()];
        java.util.Arrays.setAll(order, i -> i);
        for (int e = 0; e < book.epochsDone; e++) {
            shuffle(order, shuffle);
        }
        if (stopsEarly(book, validation, separate)) {
            return TrainingResult.Status.EARLY_STOPPED; // resumed from the checkpoint of the stopping epoch
        }
        Batch batch = new Batch(config.batchSize(), train.denseWidth(), train.categoricalWidth(), k, train.weighted());
        int readEvery = lossReadInterval > 0 ? lossReadInterval : model.device().isGpu() ? GPU_LOSS_READS : 1;
        for (int epoch = book.epochsDone; epoch < config.epochs(); epoch++) {
            // dropout draws from the engine's generator: seed it per epoch, so a resumed epoch draws the same
            Engine.getEngine(MtlModel.ENGINE).setRandomSeed(epochSeed(epoch));
            shuffle(order, shuffle);
            double[] lossSums = new double[k];
            int stepsThisEpoch = 0;
            long epochStart = System.nanoTime();
            PendingLosses pending = new PendingLosses(model);
            try {
                for (int from = 0; from < order.length; from += config.batchSize()) {
                    if (cancellation.isCancelled()) {
                        pending.report(epoch, lossSums);
                        book.trainNanos += System.nanoTime() - epochStart;
                        return TrainingResult.Status.CANCELLED; // book.epochsDone: the last epoch checkpointed
                    }
                    int count = Math.min(config.batchSize(), order.length - from);
                    TrainingClock clock = new TrainingClock(epoch, book.step);
                    long t0 = System.nanoTime();
                    float[] weights = reportedWeights(schedule, clock);
                    NDArray losses = step(
                            model,
                            train,
                            order,
                            from,
                            count,
                            batch,
                            loss,
                            separate,
                            schedule,
                            clock,
                            adam,
                            trainables,
                            pending.manager());
                    book.step++;
                    stepsThisEpoch++;
                    book.trainedSamples += count;
                    pending.add(book.step, losses, weights, count, System.nanoTime() - t0);
                    if (pending.size() >= readEvery) {
                        pending.report(epoch, lossSums);
                    }
                }
                pending.report(epoch, lossSums);
            } finally {
                pending.close();
            }
            long epochNanos = System.nanoTime() - epochStart;
            book.trainNanos += epochNanos;
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
                    book.step,
                    meanLosses,
                    reportedWeights(schedule, new TrainingClock(epoch + 1, book.step)),
                    new LinkedHashMap<>(metrics),
                    value,
                    order.length / (epochNanos / 1e9));
            book.history.add(report);
            book.epochsDone = epoch + 1;
            listener.onProgress(report);
            if (separate != null) {
                if (validation == null) {
                    separate.endEpochUnvalidated(book, epoch + 1);
                } else {
                    separate.endEpoch(book, model, metrics, epoch + 1, config.patience());
                }
            } else if (validation == null) {
                book.bestEpoch = epoch + 1;
            } else if (monitor.improves(value, book.best)) {
                book.best = value;
                book.bestEpoch = epoch + 1;
                book.badEpochs = 0;
                book.bestParameters = EpochBook.snapshot(model);
            } else if (config.patience() > 0) {
                book.badEpochs++;
            }
            if (checkpointer != EpochCheckpointer.NONE) {
                checkpointer.onEpochEnd(
                        model,
                        book.toState(
                                config,
                                train.size(),
                                validation == null ? 0 : validation.size(),
                                lossWeightState(schedule),
                                adam.state()));
            }
            if (stopsEarly(book, validation, separate)) {
                return TrainingResult.Status.EARLY_STOPPED;
            }
        }
        return TrainingResult.Status.COMPLETED;
    }

    private boolean stopsEarly(EpochBook book, MtlDataset validation, SeparateTasks separate) {
        if (validation == null || config.patience() == 0) {
            return false;
        }
        return separate == null ? book.badEpochs >= config.patience() : separate.allStopped(book, config.patience());
    }

    /** Epoch 0 uses the seed itself, as training always did; later epochs a value mixed from both. */
    private int epochSeed(int epoch) {
        return epoch == 0 ? (int) config.seed() : Long.hashCode(config.seed() * 0x9E3779B97F4A7C15L + epoch);
    }

    private NDArray step(
            MtlModel model,
            MtlDataset train,
            int[] order,
            int from,
            int count,
            Batch batch,
            MaskedJointLoss loss,
            SeparateTasks separate,
            LossWeightSchedule schedule,
            TrainingClock clock,
            AdamOptimizer adam,
            Map<String, NDArray> trainables,
            NDManager keep) {
        int k = model.spec().taskCount();
        train.gather(order, from, count, batch.dense, batch.categorical, batch.labels, batch.mask, batch.weights);
        try (NDManager stepManager = model.manager().newSubManager()) {
            NDList inputs = model.inputs(
                    stepManager,
                    batch.slice(batch.dense, count, train.denseWidth()),
                    batch.slice(batch.categorical, count, train.categoricalWidth()),
                    count);
            NDArray sampleWeights = batch.weights == null
                    ? null
                    : stepManager.create(batch.slice(batch.weights, count, 1), new Shape(count));
            NDArray losses;
            try (NDManager scope = model.openScope(stepManager, schedule.trainableArrays());
                    GradientCollector collector =
                            Engine.getEngine(MtlModel.ENGINE).newGradientCollector()) {
                model.block().beginTrainingStep(stepSeed(clock.step()));
                NDList outputs = model.forward(inputs, true).outputs();
                // tasks that share nothing take their own label columns; the (B, K) arrays are not needed then
                NDArray taskLosses;
                NDArray penalty = null;
                if (separate != null) {
                    taskLosses =
                            separate.taskLosses(stepManager, outputs, batch.labels, batch.mask, count, sampleWeights);
                } else {
                    LossInputs in = model.block()
                            .lossInputs(
                                    outputs,
                                    stepManager.create(batch.slice(batch.labels, count, k), new Shape(count, k)),
                                    stepManager.create(batch.slice(batch.mask, count, k), new Shape(count, k)));
                    taskLosses = loss.taskLosses(in.outputs(), in.labels(), in.mask(), sampleWeights);
                    penalty = in.penalty();
                }
                if (balancer != null) {
                    balancer.backward(taskLosses, balancer.weights(schedule.weights(clock)), penalty, clock.step());
                } else {
                    NDArray combined = schedule.combine(taskLosses, clock);
                    collector.backward(penalty == null ? combined : combined.add(penalty));
                }
                // kept on the device until the caller reads several steps' losses at once
                losses = taskLosses.stopGradient();
                losses.attach(keep);
            }
            List<NDArray> gradients = new ArrayList<>(trainables.size());
            for (NDArray a : trainables.values()) {
                NDArray g = a.getGradient();
                g.attach(stepManager);
                gradients.add(g);
            }
            if (config.clipNorm() > 0 && separate == null) {
                clip(gradients);
            } else if (config.clipNorm() > 0) {
                for (List<NDArray> own : separate.byTask(gradients)) {
                    clip(own);
                }
            }
            // the update also zeroes each weight's gradient, which the engine would otherwise accumulate
            adam.update(trainables, gradients);
            return losses;
        }
    }

    /**
     * Steps trained but not reported yet: their task losses stay on the device, under one manager,
     * until {@link #report} reads them in one transfer, checks them and tells the listener.
     */
    private final class PendingLosses implements AutoCloseable {

        private record Step(long step, float[] weights, int count, long nanos) {}

        private final MtlModel model;
        private final List<NDArray> losses = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private NDManager manager;

        PendingLosses(MtlModel model) {
            this.model = model;
        }

        /** Where a step puts the losses it hands over. */
        NDManager manager() {
            if (manager == null) {
                manager = model.manager().newSubManager();
            }
            return manager;
        }

        void add(long step, NDArray taskLosses, float[] weights, int count, long nanos) {
            losses.add(taskLosses);
            steps.add(new Step(step, weights, count, nanos));
        }

        int size() {
            return steps.size();
        }

        /** Reads every pending step's losses at once, adds them to the epoch's sums and reports each step. */
        void report(int epoch, double[] lossSums) {
            if (steps.isEmpty()) {
                return;
            }
            int k = model.spec().taskCount();
            float[] all = losses.size() == 1
                    ? losses.get(0).toFloatArray()
                    : NDArrays.stack(new NDList(losses)).toFloatArray();
            List<Step> read = List.copyOf(steps);
            losses.clear();
            steps.clear();
            close();
            for (int i = 0; i < read.size(); i++) {
                Step step = read.get(i);
                float[] stepLosses = java.util.Arrays.copyOfRange(all, i * k, (i + 1) * k);
                for (int t = 0; t < k; t++) {
                    if (!Float.isFinite(stepLosses[t])) {
                        throw new TrainingDivergedException(
                                model.spec().taskNames().get(t), stepLosses[t], epoch + 1, step.step());
                    }
                    lossSums[t] += stepLosses[t];
                }
                listener.onProgress(new TrainingProgress(
                        TrainingProgress.Kind.STEP,
                        epoch + 1,
                        step.step(),
                        toDouble(stepLosses),
                        step.weights(),
                        null,
                        Double.NaN,
                        step.count() / (step.nanos() / 1e9)));
            }
        }

        @Override
        public void close() {
            if (manager != null) {
                manager.close();
                manager = null;
            }
        }
    }

    private GradientBalancer balancer;

    /** The run's gradient balancer, or null when the tasks' gradients are summed as they are. */
    private GradientBalancer balancer(
            MtlModel model, LossWeightSchedule schedule, SeparateTasks separate, Set<String> trainables) {
        GradientBalancing spec = config.balancing();
        if (!spec.active()) {
            return null;
        }
        List<String> violations = spec.validate();
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", violations));
        }
        if (separate != null || model.spec().taskCount() < 2) {
            throw new IllegalArgumentException("balancing: " + spec.method() + " needs tasks that share parameters; "
                    + model.spec().architecture() + " with " + model.spec().taskCount() + " task(s) has none");
        }
        if (!schedule.trainableArrays().isEmpty()) {
            throw new IllegalArgumentException("balancing: " + spec.method()
                    + " cannot be combined with a loss-weight schedule that learns its weights (uncertainty)");
        }
        List<String> shared = model.block().sharedParameterNames().stream()
                .filter(trainables::contains)
                .toList();
        return new GradientBalancer(spec, model, shared, config.seed());
    }

    /** The weights the tasks' losses take at {@code clock}: the schedule's, times GradNorm's where it learns them. */
    private float[] reportedWeights(LossWeightSchedule schedule, TrainingClock clock) {
        return balancer == null ? schedule.weights(clock) : balancer.weights(schedule.weights(clock));
    }

    private Map<String, double[]> lossWeightState(LossWeightSchedule schedule) {
        if (balancer == null) {
            return schedule.state();
        }
        Map<String, double[]> state = new LinkedHashMap<>(schedule.state());
        state.putAll(balancer.state());
        return state;
    }

    /** The schedule's part of a saved state: the balancer keeps its own under "gradnorm." keys. */
    private static Map<String, double[]> withoutBalancing(Map<String, double[]> state) {
        Map<String, double[]> schedule = new LinkedHashMap<>(state);
        schedule.keySet().removeIf(key -> key.startsWith("gradnorm."));
        return schedule;
    }

    /** A seed for one step's random draws that a block may ask for; the same step of a resumed run gets the same. */
    private long stepSeed(long step) {
        return config.seed() * 0x9E3779B97F4A7C15L + step;
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

    /**
     * The trained arrays in a fixed order, under names that are the same in every model built from the
     * spec (DJL's parameter ids are random per instance), so that saved moments find their arrays again.
     */
    private static Map<String, NDArray> trainables(MtlModel model, LossWeightSchedule schedule) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (var p : model.namedParameters()) {
            // running statistics (expert normalisation) are state the forward pass updates, not trained
            if (p.getValue().requiresGradient()) {
                add(named, p.getKey(), p.getValue().getArray());
            }
        }
        int i = 0;
        for (NDArray a : schedule.trainableArrays()) {
            add(named, "lossWeights" + i++, a);
        }
        return named;
    }

    private static void add(Map<String, NDArray> named, String name, NDArray array) {
        if (named.put(name, array) != null) {
            throw new IllegalStateException("parameters: two are named " + name);
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
        final float[] weights;

        Batch(int size, int denseWidth, int categoricalWidth, int tasks, boolean weighted) {
            dense = new float[size * denseWidth];
            categorical = new long[size * categoricalWidth];
            labels = new float[size * tasks];
            mask = new float[size * tasks];
            weights = weighted ? new float[size] : null;
        }

        float[] slice(float[] buffer, int rows, int width) {
            return rows * width == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, rows * width);
        }

        long[] slice(long[] buffer, int rows, int width) {
            return rows * width == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, rows * width);
        }
    }
}
