package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.Evaluator;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.metric.TaskMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtlTrainerTests {

    private static final MtlDataset TRAIN = TestModels.data(512, 2, 1);
    private static final MtlDataset VALID = TestModels.data(128, 2, 2);

    private static TrainingConfig config() {
        return TrainingConfig.defaults()
                .withEpochs(3)
                .withBatchSize(64)
                .withLearningRate(0.01)
                .withClipNorm(5);
    }

    private static double[] trainAndScore(String architecture, long seed) {
        try (MtlModel model = TestModels.model(architecture, 2, seed)) {
            new MtlTrainer(config().withSeed(seed), null, null).fit(model, TRAIN, VALID);
            var metrics = Evaluator.evaluate(model, VALID, 64, false).tasks();
            return new double[] {
                metrics.get("t0").auc(),
                metrics.get("t0").logLoss(),
                metrics.get("t1").mse()
            };
        }
    }

    @Test
    void sameSeedGivesTheSameMetrics() {
        double[] first = trainAndScore("ple", 5);
        double[] second = trainAndScore("ple", 5);
        for (int i = 0; i < first.length; i++) {
            assertThat(String.format("%.6f", second[i])).isEqualTo(String.format("%.6f", first[i]));
        }
    }

    private static double[] trainWeighted(float[] weights) {
        MtlDataset train = new MtlDataset(
                TRAIN.size(), 6, TRAIN.dense(), 1, TRAIN.categorical(), 2, TRAIN.labels(), TRAIN.mask(), weights);
        try (MtlModel model = TestModels.model("ple", 2, 5)) {
            new MtlTrainer(config().withSeed(5), null, null).fit(model, train, VALID);
            var metrics = Evaluator.evaluate(model, VALID, 64, false).tasks();
            return new double[] {metrics.get("t0").logLoss(), metrics.get("t1").mse()};
        }
    }

    @Test
    void sampleWeightsOfOneTrainExactlyAsNoWeightsAndOtherWeightsChangeTheModel() {
        double[] unweighted = trainWeighted(null);
        float[] ones = new float[TRAIN.size()];
        java.util.Arrays.fill(ones, 1f);
        float[] uneven = new float[TRAIN.size()];
        for (int i = 0; i < uneven.length; i++) {
            uneven[i] = i % 4 == 0 ? 3f : 0.2f;
        }

        assertThat(trainWeighted(ones)).containsExactly(unweighted);
        assertThat(trainWeighted(uneven)).doesNotContain(unweighted[0], unweighted[1]);
    }

    @Test
    void learnsTheTasks() {
        try (MtlModel model = TestModels.model("mmoe", 2, 3)) {
            TaskMetrics before =
                    Evaluator.evaluate(model, VALID, 64, false).tasks().get("t1");
            new MtlTrainer(config().withEpochs(6), null, null).fit(model, TRAIN, VALID);
            var after = Evaluator.evaluate(model, VALID, 64, false).tasks();
            assertThat(after.get("t1").mse()).isLessThan(before.mse() * 0.7);
            assertThat(after.get("t0").auc()).isGreaterThan(0.75);
        }
    }

    @Test
    void reportsStepsAndEpochsWithWeights() {
        List<TrainingProgress> reports = new ArrayList<>();
        try (MtlModel model = TestModels.model("cgc", 2, 3)) {
            TrainingConfig cfg = config().withLossWeights(new LossWeightSpec.Exponential(
                    new float[] {1f, 2f}, new float[] {0.5f, 1f}, io.fulcrum.mtl.loss.ScheduleUnit.EPOCH));
            TrainingResult result = new MtlTrainer(cfg, reports::add, null).fit(model, TRAIN, VALID);
            assertThat(result.status()).isIn(TrainingResult.Status.COMPLETED, TrainingResult.Status.EARLY_STOPPED);
        }
        List<TrainingProgress> steps = reports.stream()
                .filter(r -> r.kind() == TrainingProgress.Kind.STEP)
                .toList();
        List<TrainingProgress> epochs = reports.stream()
                .filter(r -> r.kind() == TrainingProgress.Kind.EPOCH)
                .toList();
        assertThat(steps).hasSize(3 * 8);
        assertThat(steps.get(0).weights()).containsExactly(1f, 2f);
        assertThat(steps.get(8).weights()).containsExactly(0.5f, 2f);
        assertThat(steps.get(0).taskLosses()).hasSize(2);
        assertThat(steps.get(0).samplesPerSecond()).isPositive();
        assertThat(epochs).hasSize(3);
        assertThat(epochs.get(0).validation()).containsKeys("t0", "t1");
        assertThat(epochs.get(0).monitorValue()).isFinite();
    }

    @Test
    void cancellationStopsWithinOneStep() {
        CancellationToken token = new CancellationToken();
        AtomicInteger stepsAfterCancel = new AtomicInteger();
        try (MtlModel model = TestModels.model("shared-bottom", 2, 3)) {
            TrainingResult result = new MtlTrainer(
                            config().withEpochs(50),
                            p -> {
                                if (token.isCancelled()) {
                                    stepsAfterCancel.incrementAndGet();
                                }
                                if (p.step() == 5) {
                                    token.cancel();
                                }
                            },
                            token)
                    .fit(model, TRAIN, VALID);
            assertThat(result.status()).isEqualTo(TrainingResult.Status.CANCELLED);
            assertThat(result.steps()).isEqualTo(5);
            assertThat(stepsAfterCancel).hasValue(0);
        }
    }

    @Test
    void nanLossStopsWithTheTaskEpochAndStep() {
        float[] labels = TRAIN.labels().clone();
        labels[2 * 200 + 1] = Float.MAX_VALUE; // squared error overflows to infinity in float
        MtlDataset poisoned = new MtlDataset(TRAIN.size(), 6, TRAIN.dense(), 1, TRAIN.categorical(), 2, labels, null);
        try (MtlModel model = TestModels.model("mmoe", 2, 3)) {
            assertThatThrownBy(() -> new MtlTrainer(config(), null, null).fit(model, poisoned, null))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageMatching("loss of task t1 became (NaN|infinite) at epoch 1 step \\d+");
        }
    }

    /** Every STEP report of one fit, as text: step, losses, weights. */
    private static List<String> stepReports(int lossReadInterval, List<float[]> finalParameters) {
        List<String> reports = new ArrayList<>();
        try (MtlModel model = TestModels.model("ple", 2, 3)) {
            new MtlTrainer(
                            config().withEpochs(2),
                            p -> {
                                if (p.kind() == TrainingProgress.Kind.STEP) {
                                    reports.add(
                                            p.epoch() + "/" + p.step() + " " + java.util.Arrays.toString(p.taskLosses())
                                                    + " " + java.util.Arrays.toString(p.weights()));
                                }
                            },
                            null)
                    .withLossReadInterval(lossReadInterval)
                    .fit(model, TRAIN, VALID);
            for (var p : model.parameters()) {
                finalParameters.add(p.getArray().toFloatArray());
            }
        }
        return reports;
    }

    @Test
    void readingLossesEveryFewStepsReportsEveryStepAsReadingEachDoes() {
        List<float[]> eachStep = new ArrayList<>();
        List<float[]> everyFive = new ArrayList<>();
        List<String> one = stepReports(1, eachStep);
        List<String> five = stepReports(5, everyFive);

        // 512 rows in batches of config()'s size, two epochs: the last read of an epoch is a short one
        assertThat(one).hasSizeGreaterThan(5).doesNotHaveDuplicates();
        assertThat(five).containsExactlyElementsOf(one);
        for (int i = 0; i < eachStep.size(); i++) {
            assertThat(everyFive.get(i)).containsExactly(eachStep.get(i));
        }
    }

    @Test
    void aDivergedStepReadLateIsReportedWithItsOwnStep() {
        float[] labels = TRAIN.labels().clone();
        labels[2 * 200 + 1] = Float.MAX_VALUE;
        MtlDataset poisoned = new MtlDataset(TRAIN.size(), 6, TRAIN.dense(), 1, TRAIN.categorical(), 2, labels, null);
        List<String> messages = new ArrayList<>();
        for (int interval : new int[] {1, 7}) {
            try (MtlModel model = TestModels.model("mmoe", 2, 3)) {
                assertThatThrownBy(() -> new MtlTrainer(config(), null, null)
                                .withLossReadInterval(interval)
                                .fit(model, poisoned, null))
                        .isInstanceOf(TrainingDivergedException.class)
                        .satisfies(e -> messages.add(e.getMessage()));
            }
        }
        assertThat(messages.get(1)).isEqualTo(messages.get(0));
    }

    @Test
    void earlyStoppingHonoursPatience() {
        try (MtlModel model = TestModels.model("shared-bottom", 2, 3)) {
            // a learning rate this high makes validation loss stop improving quickly
            TrainingConfig cfg = config().withEpochs(40).withPatience(2).withLearningRate(0.05);
            TrainingResult result = new MtlTrainer(cfg, null, null).fit(model, TRAIN, VALID);
            assertThat(result.status()).isEqualTo(TrainingResult.Status.EARLY_STOPPED);
            assertThat(result.epochsRun()).isEqualTo(result.bestEpoch() + 2);
            double bestFromHistory = result.epochs().stream()
                    .mapToDouble(TrainingProgress::monitorValue)
                    .min()
                    .orElseThrow();
            assertThat(result.bestMonitorValue()).isEqualTo(bestFromHistory);
            double restored = Evaluator.evaluate(model, VALID, 1024, false).tasks().values().stream()
                    .mapToDouble(m -> m.type() == io.fulcrum.mtl.model.TaskType.BINARY ? m.logLoss() : m.mse())
                    .average()
                    .orElseThrow();
            assertThat(restored).isCloseTo(bestFromHistory, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void liveArrayCountStaysFlatOverManySteps() {
        try (MtlModel model = TestModels.model("ple", 2, 3)) {
            TrainingConfig cfg = config().withEpochs(1).withLossWeights(new LossWeightSpec.Uncertainty(0f));
            MtlTrainer trainer = new MtlTrainer(cfg, null, null);
            trainer.fit(model, TRAIN, null); // Adam's state and the schedule's arrays appear in the first epoch
            int afterFirst = model.manager().getManagedArrays().size();
            MtlTrainer longer = new MtlTrainer(cfg.withEpochs(25).withPatience(0), null, null);
            TrainingResult result = longer.fit(model, TRAIN, VALID);
            assertThat(result.steps()).isEqualTo(25 * 8);
            int afterMany = model.manager().getManagedArrays().size();
            // a new trainer brings its own optimizer state and log-variances, nothing per step
            int perTrainer = afterFirst - model.parameters().size();
            assertThat(afterMany).isEqualTo(afterFirst + perTrainer);
        }
    }

    @Test
    void checkpointRoundTripPredictsTheSame(@TempDir Path dir) {
        Predictions before;
        try (MtlModel model = TestModels.model("ple", 2, 3)) {
            new MtlTrainer(config().withEpochs(2), null, null).fit(model, TRAIN, VALID);
            before = model.predictEncoded(VALID, 50);
            Checkpoint.save(model, dir, 2);
        }
        assertThat(Checkpoint.metadata(dir).epoch()).isEqualTo(2);
        try (MtlModel loaded = Checkpoint.load(dir)) {
            Predictions after = loaded.predictEncoded(VALID, 50);
            assertThat(after.tasks()).isEqualTo(before.tasks());
            for (int k = 0; k < 2; k++) {
                assertThat(after.values()[k]).containsExactly(before.values()[k]);
            }
            float[] probabilities = after.of("t0");
            Predictions raw = loaded.predict(
                    2, java.util.Arrays.copyOf(VALID.dense(), 12), java.util.Arrays.copyOf(VALID.categorical(), 2));
            // a batch of 2 against one of 50: BLAS may block the products differently, so the last bit can move
            assertThat(raw.of("t1")[1]).isCloseTo(before.of("t1")[1], org.assertj.core.data.Offset.offset(1e-6f));
            for (float p : probabilities) {
                assertThat(p).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void rejectsDataWithTheWrongNumberOfTasks() {
        try (MtlModel model = TestModels.model("mmoe", 2, 3)) {
            assertThatThrownBy(() -> new MtlTrainer(config(), null, null).fit(model, TestModels.data(10, 3, 1), null))
                    .hasMessageStartingWith("labels: the data has 3 label columns but the spec has 2 tasks");
        }
    }
}
