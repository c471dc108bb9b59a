package io.fulcrum.worker;

import ai.djl.Device;
import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.experiment.MetricPoint;
import io.fulcrum.experiment.MetricStore;
import io.fulcrum.experiment.RunManagement;
import io.fulcrum.experiment.RunQueue;
import io.fulcrum.experiment.RunRecord;
import io.fulcrum.experiment.RunResult;
import io.fulcrum.experiment.RunTask;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.metric.TaskMetrics;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.mtl.train.CancellationToken;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingCheckpoint;
import io.fulcrum.mtl.train.TrainingProgress;
import io.fulcrum.mtl.train.TrainingResult;
import io.fulcrum.mtl.train.TrainingState;
import io.fulcrum.taskgroup.EvaluationMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Trains one leased run: loads the dataset's splits, builds the model or restores the last epoch
 * checkpoint, trains with metrics flowing to a {@link MetricBuffer}, stores a checkpoint in the
 * artifact store after every epoch, and on success evaluates the test split and stores the model and
 * the result. Every write to the run names the lease, so a worker that lost it changes nothing.
 */
final class RunExecution {

    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

    /** Why training is being stopped early, if it is. */
    enum Stop {
        NONE,
        CANCEL_REQUESTED,
        SHUTDOWN,
        LEASE_LOST
    }

    private final RunQueue.Lease lease;
    /** The GPU of the slot that runs it; null on a worker without GPUs. */
    private final Device gpu;

    private final RunQueue queue;
    private final MetricStore metrics;
    private final DatasetManagement datasets;
    private final ArtifactStore artifacts;
    private final Path workDir;
    private final String workerName;
    private final CancellationToken token = new CancellationToken();
    private final MetricBuffer buffer = new MetricBuffer();
    private volatile Stop stop = Stop.NONE;

    RunExecution(
            RunQueue.Lease lease,
            Device gpu,
            RunQueue queue,
            MetricStore metrics,
            DatasetManagement datasets,
            ArtifactStore artifacts,
            Path workDir,
            String workerName) {
        this.lease = lease;
        this.gpu = gpu;
        this.queue = queue;
        this.metrics = metrics;
        this.datasets = datasets;
        this.artifacts = artifacts;
        this.workDir = workDir;
        this.workerName = workerName;
    }

    RunQueue.Lease lease() {
        return lease;
    }

    /** Stops training before its next step; the first reason given wins. */
    void stop(Stop why) {
        synchronized (this) {
            if (stop == Stop.NONE) {
                stop = why;
            }
        }
        token.cancel();
    }

    boolean stopping() {
        return stop != Stop.NONE;
    }

    /** Sends buffered metric points; called every second by the worker, failures are retried next time. */
    void flushMetrics() {
        buffer.flush(metrics);
    }

    void run() {
        RunRecord run = Backoff.retry("load run " + lease.runId(), () -> queue.run(lease.runId()), () -> false);
        taskNames = run.tasks().stream().map(RunTask::name).toList();
        log.info(
                "Run {} ({}) attempt {} starts on {}{}",
                run.id(),
                run.label(),
                lease.attempt(),
                workerName,
                run.checkpointEpoch() > 0 ? ", resuming after epoch " + run.checkpointEpoch() : "");
        MtlModel model = null;
        try {
            Files.createDirectories(workDir);
            TrainingSplits splits = Backoff.retry(
                    "load the dataset of run " + run.id(),
                    () -> datasets.trainingSplits(
                            run.datasetId(),
                            taskColumns(run.tasks()),
                            run.training().maxEmbeddingDim(),
                            run.training().sampleWeighted()),
                    this::stopping);
            if (!splits.inputs().equals(run.spec().inputs())) {
                throw new IllegalStateException(
                        "the dataset's inputs changed since the run was queued; queue a new run");
            }
            // a GPU run trains on its slot's GPU; the claim gives GPU runs only to workers that have one
            Device device = "gpu".equals(run.resources().device()) && gpu != null ? gpu : Device.cpu();
            log.info("Run {} trains on {}", run.id(), device);
            TrainingState resumeFrom = null;
            if (run.checkpointKey() != null && run.checkpointEpoch() > 0) {
                Path dir = workDir.resolve("resume");
                Backoff.retry(
                        "fetch the checkpoint of run " + run.id(),
                        () -> artifacts.extractTo(run.checkpointKey(), dir),
                        this::stopping);
                TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir, device);
                model = restored.model();
                resumeFrom = restored.state();
            } else {
                model = MtlModel.create(
                        run.spec(), splits.preprocessing(), run.training().seed(), device);
            }
            MtlTrainer trainer = new MtlTrainer(
                    run.training().toConfig(run.lossWeights()), this::onProgress, token, this::onEpochEnd);
            TrainingResult result = trainer.fit(
                    model, splits.train(), splits.validation().size() > 0 ? splits.validation() : null, resumeFrom);
            finish(run, model, splits, result);
        } catch (RuntimeException | IOException e) {
            if (stop == Stop.LEASE_LOST) {
                log.info("Run {} stopped here: its lease went to another worker", run.id());
                return;
            }
            log.warn("Run {} failed", run.id(), e);
            flushQuietly();
            String reason = "failed on worker " + workerName + ": " + message(e);
            Backoff.retry("record failure of run " + run.id(), () -> queue.failed(lease, reason), () -> false);
        } finally {
            if (model != null) {
                model.close();
            }
            FileSystemUtils.deleteRecursively(workDir.toFile());
        }
    }

    private void finish(RunRecord run, MtlModel model, TrainingSplits splits, TrainingResult result) {
        if (result.status() == TrainingResult.Status.CANCELLED) {
            flushQuietly();
            switch (stop) {
                case LEASE_LOST -> log.info("Run {} stopped here: its lease went to another worker", run.id());
                case SHUTDOWN -> {
                    Backoff.retry(
                            "give back run " + run.id(),
                            () -> queue.givenBack(
                                    lease,
                                    "given back by worker " + workerName + " at shutdown (attempt " + lease.attempt()
                                            + "); resumes after its last checkpoint"),
                            () -> false);
                    log.info("Run {} given back to the queue at shutdown", run.id());
                }
                default -> {
                    Backoff.retry("cancel run " + run.id(), () -> queue.cancelled(lease), () -> false);
                    log.info("Run {} cancelled", run.id());
                }
            }
            return;
        }
        Evaluator.Evaluation test = Evaluator.evaluate(model, splits.test(), 2048, true);
        List<MetricPoint> points = new ArrayList<>();
        Map<String, RunResult.TaskResult> tasks = new LinkedHashMap<>();
        for (RunTask task : run.tasks()) {
            TaskMetrics m = test.tasks().get(task.name());
            TaskMetrics joint = test.joint().get(task.name());
            tasks.put(task.name(), taskResult(task, m, joint));
            Map<String, Double> values = values(m);
            if (joint != null) {
                values.put("joint_auc", joint.auc());
                values.put("joint_logloss", joint.logLoss());
            }
            for (Map.Entry<String, Double> e : values.entrySet()) {
                points.add(point(
                        run.id(),
                        MetricPoint.TEST,
                        e.getKey(),
                        task.name(),
                        result.steps(),
                        result.epochsRun(),
                        e.getValue()));
            }
        }
        buffer.addAll(points);
        Backoff.retry("write metrics of run " + run.id(), this::flushMetrics, () -> false);
        String modelKey = RunManagement.artifactPrefix(run.id()) + "model";
        Path modelDir = workDir.resolve("model");
        Checkpoint.save(model, modelDir, result.bestEpoch());
        // the model's categorical vocabularies travel with it: a registered version serves without its dataset
        List<String> categorical = run.spec().inputs().categorical().stream()
                .map(ModelSpec.CategoricalFeature::name)
                .toList();
        if (!categorical.isEmpty()) {
            Checkpoint.saveVocabularies(modelDir, datasets.categoricalValues(run.datasetId(), categorical));
        }
        Backoff.retry("store model of run " + run.id(), () -> artifacts.putDirectory(modelKey, modelDir), () -> false);
        RunResult outcome = new RunResult(
                tasks,
                test.gates(),
                model.parameterCount(),
                result.trainSeconds(),
                result.samplesPerSecond(),
                result.epochsRun(),
                result.bestEpoch(),
                result.status().name());
        boolean recorded = Backoff.retry(
                "record success of run " + run.id(), () -> queue.succeeded(lease, outcome, modelKey), () -> false);
        log.info("Run {} {}", run.id(), recorded ? "SUCCEEDED" : "finished, but its lease had moved on");
    }

    private void onProgress(TrainingProgress p) {
        long runId = lease.runId();
        List<String> tasks = taskNames;
        if (p.kind() == TrainingProgress.Kind.STEP) {
            for (int k = 0; k < tasks.size(); k++) {
                buffer.add(
                        point(runId, MetricPoint.TRAIN, "loss", tasks.get(k), p.step(), p.epoch(), p.taskLosses()[k]));
                buffer.add(
                        point(runId, MetricPoint.TRAIN, "weight", tasks.get(k), p.step(), p.epoch(), p.weights()[k]));
            }
            buffer.add(point(
                    runId, MetricPoint.TRAIN, "samples_per_second", "", p.step(), p.epoch(), p.samplesPerSecond()));
            return;
        }
        for (int k = 0; k < tasks.size(); k++) {
            buffer.add(point(
                    runId, MetricPoint.TRAIN, "epoch_loss", tasks.get(k), p.step(), p.epoch(), p.taskLosses()[k]));
        }
        if (p.validation() != null) {
            for (Map.Entry<String, TaskMetrics> e : p.validation().entrySet()) {
                for (Map.Entry<String, Double> v : values(e.getValue()).entrySet()) {
                    buffer.add(point(
                            runId, MetricPoint.VALIDATION, v.getKey(), e.getKey(), p.step(), p.epoch(), v.getValue()));
                }
            }
            buffer.add(point(runId, MetricPoint.VALIDATION, "monitor", "", p.step(), p.epoch(), p.monitorValue()));
        }
    }

    private volatile List<String> taskNames = List.of();

    /** After every epoch: the checkpoint goes to the artifact store, then the run records its epoch. */
    private void onEpochEnd(MtlModel model, TrainingState state) {
        flushQuietly();
        String key = RunManagement.artifactPrefix(lease.runId()) + "checkpoint";
        Path dir = workDir.resolve("checkpoint-" + state.epochsDone());
        try {
            TrainingCheckpoint.save(model, state, dir);
            artifacts.putDirectory(key, dir);
            if (!queue.checkpointed(lease, state.epochsDone(), key)) {
                stop(Stop.LEASE_LOST);
            }
        } catch (RuntimeException e) {
            if (!Backoff.isOutage(e)) {
                throw e;
            }
            // the database is away: train on, the next epoch's checkpoint will be stored instead
            log.warn(
                    "Checkpoint of run {} after epoch {} not stored: {}",
                    lease.runId(),
                    state.epochsDone(),
                    Backoff.rootMessage(e));
        } finally {
            FileSystemUtils.deleteRecursively(dir.toFile());
        }
    }

    private void flushQuietly() {
        try {
            flushMetrics();
        } catch (RuntimeException e) {
            log.debug("metric flush failed; kept for later", e);
        }
    }

    static List<TrainingSplits.TaskColumns> taskColumns(List<RunTask> tasks) {
        return tasks.stream()
                .map(t -> new TrainingSplits.TaskColumns(t.name(), t.type(), t.labelColumn(), t.spaceColumn()))
                .toList();
    }

    static RunResult.TaskResult taskResult(RunTask task, TaskMetrics m, TaskMetrics joint) {
        EvaluationMetric metric = task.evaluationMetric();
        double value = switch (metric) {
            case AUC -> m.auc();
            case LOGLOSS -> m.logLoss();
            case MSE -> m.mse();
            case MAE -> m.mae();
        };
        boolean binary = task.type() == TaskType.BINARY;
        return new RunResult.TaskResult(
                task.metric(),
                value,
                metric.higherIsBetter(),
                m.samples(),
                binary ? m.auc() : null,
                binary ? m.logLoss() : null,
                m.mse(),
                m.mae(),
                joint == null ? null : joint.auc(),
                joint == null ? null : joint.samples());
    }

    /** The metrics a task's kind has, by their lower-case names. */
    static Map<String, Double> values(TaskMetrics m) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (m.type() == TaskType.BINARY) {
            values.put("auc", m.auc());
            values.put("logloss", m.logLoss());
        }
        values.put("mse", m.mse());
        values.put("mae", m.mae());
        return values;
    }

    private static MetricPoint point(
            long run, String split, String name, String task, long step, int epoch, double value) {
        return new MetricPoint(run, split, name, task, step, epoch, value);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
