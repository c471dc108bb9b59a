package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run killed mid-epoch and resumed from its last epoch checkpoint, in a fresh model loaded from disk,
 * ends exactly as the same run without the interruption.
 */
class TrainingResumeTests {

    private static final MtlDataset TRAIN = TestModels.data(512, 2, 1);
    private static final MtlDataset VALID = TestModels.data(128, 2, 2);
    private static final int STEPS_PER_EPOCH = 512 / 64;

    private static TrainingConfig config() {
        return TrainingConfig.defaults()
                .withBatchSize(64)
                .withLearningRate(0.01)
                .withClipNorm(5)
                .withPatience(0);
    }

    /** What a run leaves behind: its result, final parameters by name and step reports. */
    private record Run(TrainingResult result, Map<String, float[]> parameters, List<TrainingProgress> steps) {}

    private static MtlModel fresh(ModelSpec spec) {
        return MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 3);
    }

    private static Run uninterrupted(ModelSpec spec, TrainingConfig cfg, MtlDataset validation) {
        List<TrainingProgress> steps = new ArrayList<>();
        try (MtlModel model = fresh(spec)) {
            TrainingResult result = new MtlTrainer(cfg, stepsInto(steps), null).fit(model, TRAIN, validation);
            return new Run(result, EpochBook.snapshot(model), steps);
        }
    }

    /**
     * Trains with a checkpoint saved into {@code dir} after every epoch until the cancellation after global
     * step {@code killAfterStep} (standing in for a kill mid-epoch), then resumes in a model loaded from
     * {@code dir}, still checkpointing.
     */
    private static Run interruptedAndResumed(
            ModelSpec spec, TrainingConfig cfg, MtlDataset validation, long killAfterStep, Path dir) {
        EpochCheckpointer save = (model, state) -> TrainingCheckpoint.save(model, state, dir);
        CancellationToken kill = new CancellationToken();
        try (MtlModel model = fresh(spec)) {
            TrainingResult cut = new MtlTrainer(
                            cfg,
                            p -> {
                                if (p.kind() == TrainingProgress.Kind.STEP && p.step() == killAfterStep) {
                                    kill.cancel();
                                }
                            },
                            kill,
                            save)
                    .fit(model, TRAIN, validation);
            int completed = (int) (killAfterStep / STEPS_PER_EPOCH);
            assertThat(cut.status()).isEqualTo(TrainingResult.Status.CANCELLED);
            assertThat(cut.epochsRun()).isEqualTo(completed);
            assertThat(cut.epochs()).hasSize(completed);
            assertThat(cut.steps()).isEqualTo(killAfterStep);
            assertThat(TrainingCheckpoint.readState(dir).epochsDone()).isEqualTo(completed);
        }
        List<TrainingProgress> steps = new ArrayList<>();
        try (TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir)) {
            TrainingResult result = new MtlTrainer(cfg, stepsInto(steps), null, save)
                    .fit(restored.model(), TRAIN, validation, restored.state());
            return new Run(result, EpochBook.snapshot(restored.model()), steps);
        }
    }

    private static ProgressListener stepsInto(List<TrainingProgress> steps) {
        return p -> {
            if (p.kind() == TrainingProgress.Kind.STEP) {
                steps.add(p);
            }
        };
    }

    private static void assertSameRun(Run resumed, Run straight) {
        TrainingResult a = resumed.result();
        TrainingResult b = straight.result();
        assertThat(a.status()).isEqualTo(b.status());
        assertThat(a.epochsRun()).isEqualTo(b.epochsRun());
        assertThat(a.steps()).isEqualTo(b.steps());
        assertThat(a.bestEpoch()).isEqualTo(b.bestEpoch());
        assertThat(a.taskBestEpochs()).isEqualTo(b.taskBestEpochs());
        assertThat(Double.valueOf(a.bestMonitorValue())).isEqualTo(Double.valueOf(b.bestMonitorValue()));
        assertThat(a.epochs()).hasSameSizeAs(b.epochs());
        for (int i = 0; i < b.epochs().size(); i++) {
            TrainingProgress x = a.epochs().get(i);
            TrainingProgress y = b.epochs().get(i);
            assertThat(x.epoch()).isEqualTo(y.epoch());
            assertThat(x.step()).isEqualTo(y.step());
            assertThat(x.taskLosses()).containsExactly(y.taskLosses());
            assertThat(x.weights()).containsExactly(y.weights());
            assertThat(x.validation()).isEqualTo(y.validation());
            assertThat(Double.valueOf(x.monitorValue())).isEqualTo(Double.valueOf(y.monitorValue()));
        }
        assertThat(resumed.parameters()).containsOnlyKeys(straight.parameters().keySet());
        straight.parameters()
                .forEach((name, values) ->
                        assertThat(resumed.parameters().get(name)).as(name).containsExactly(values));
        // the repeated epoch's steps come again under the same numbers, with the same losses
        List<TrainingProgress> tail = straight.steps().stream()
                .filter(s -> s.step() > resumed.steps().get(0).step() - 1)
                .toList();
        assertThat(resumed.steps()).hasSameSizeAs(tail);
        for (int i = 0; i < tail.size(); i++) {
            assertThat(resumed.steps().get(i).step()).isEqualTo(tail.get(i).step());
            assertThat(resumed.steps().get(i).epoch()).isEqualTo(tail.get(i).epoch());
            assertThat(resumed.steps().get(i).taskLosses())
                    .containsExactly(tail.get(i).taskLosses());
            assertThat(resumed.steps().get(i).weights())
                    .containsExactly(tail.get(i).weights());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ple", "mmoe", "single"})
    void constantWeightsWithEarlyStoppingResumeToTheSameStop(String architecture, @TempDir Path dir) {
        ModelSpec spec = TestModels.spec(architecture, 2);
        // a learning rate this high makes validation loss stop improving within a few epochs
        TrainingConfig cfg = config().withEpochs(40).withPatience(2).withLearningRate(0.05);
        Run straight = uninterrupted(spec, cfg, VALID);
        assertThat(straight.result().status()).isEqualTo(TrainingResult.Status.EARLY_STOPPED);
        int stop = straight.result().epochsRun();
        // killed in the stopping epoch: the checkpoint before it has one bad epoch and the best snapshot
        Run resumed = interruptedAndResumed(spec, cfg, VALID, (long) (stop - 1) * STEPS_PER_EPOCH + 3, dir);
        assertSameRun(resumed, straight);

        // the stopping epoch's checkpoint resumes to the same decision without another step
        try (TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir)) {
            assertThat(restored.state().epochsDone()).isEqualTo(stop);
            List<TrainingProgress> steps = new ArrayList<>();
            TrainingResult again =
                    new MtlTrainer(cfg, stepsInto(steps), null).fit(restored.model(), TRAIN, VALID, restored.state());
            assertThat(steps).isEmpty();
            assertSameRun(
                    new Run(again, EpochBook.snapshot(restored.model()), resumed.steps()),
                    new Run(straight.result(), straight.parameters(), resumed.steps()));
        }
    }

    @Test
    void dynamicWeightAverageResumesWithItsEpochLosses(@TempDir Path dir) {
        ModelSpec spec = TestModels.spec("mmoe", 2);
        TrainingConfig cfg = config().withEpochs(5).withLossWeights(new LossWeightSpec.Dwa(2.0));
        Run straight = uninterrupted(spec, cfg, null);
        Run resumed = interruptedAndResumed(spec, cfg, null, 3L * STEPS_PER_EPOCH + 5, dir);
        assertSameRun(resumed, straight);
        assertThat(straight.result().epochs().get(4).weights()).doesNotContain(1f); // DWA did reweigh
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradnorm", "pcgrad", "cagrad"})
    void gradientBalancingResumesWhereItStopped(String method, @TempDir Path dir) {
        ModelSpec spec = TestModels.spec("mmoe", 2);
        TrainingConfig cfg = config().withEpochs(4).withBalancing(GradientBalancing.of(method));
        Run straight = uninterrupted(spec, cfg, null);
        Run resumed = interruptedAndResumed(spec, cfg, null, 2L * STEPS_PER_EPOCH + 3, dir);
        assertSameRun(resumed, straight);
        if (method.equals("gradnorm")) {
            // the learned weights travel with the checkpoint, beside the schedule's (empty) state
            assertThat(TrainingCheckpoint.readState(dir).lossWeights()).containsKey("gradnorm.weights");
            assertThat(straight.result().epochs().get(3).weights()).doesNotContain(1f);
        }
    }

    @Test
    void uncertaintyWeightingResumesWithItsLearnedLogVariances(@TempDir Path dir) {
        ModelSpec spec = TestModels.spec("ple", 2);
        TrainingConfig cfg = config().withEpochs(4).withLossWeights(new LossWeightSpec.Uncertainty(0f));
        Run straight = uninterrupted(spec, cfg, VALID);
        Run resumed = interruptedAndResumed(spec, cfg, VALID, 2L * STEPS_PER_EPOCH + 1, dir);
        assertSameRun(resumed, straight);
        assertThat(TrainingCheckpoint.readState(dir).lossWeights()).containsKey("logVariance");
    }

    @Test
    void dropoutDrawsTheSameMasksAfterAResume(@TempDir Path dir) {
        ModelSpec base = TestModels.spec("shared-bottom", 2);
        ModelSpec spec = new ModelSpec(
                base.architecture(),
                base.inputs(),
                base.tasks(),
                base.experts(),
                base.bottomUnits(),
                base.towerUnits(),
                base.levels(),
                base.gateBias(),
                base.activation(),
                0.3,
                base.sluiceSubspaces());
        TrainingConfig cfg = config().withEpochs(4);
        Run straight = uninterrupted(spec, cfg, VALID);
        Run resumed = interruptedAndResumed(spec, cfg, VALID, 2L * STEPS_PER_EPOCH + 4, dir);
        assertSameRun(resumed, straight);
    }

    @Test
    void rejectsAStateFromAnotherConfigOrData(@TempDir Path dir) {
        ModelSpec spec = TestModels.spec("shared-bottom", 2);
        TrainingConfig cfg = config().withEpochs(1);
        try (MtlModel model = fresh(spec)) {
            new MtlTrainer(cfg, null, null, (m, s) -> TrainingCheckpoint.save(m, s, dir)).fit(model, TRAIN, VALID);
        }
        try (TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir)) {
            TrainingState state = restored.state();
            MtlTrainer otherRate = new MtlTrainer(cfg.withEpochs(3).withLearningRate(0.02), null, null);
            assertThatThrownBy(() -> otherRate.fit(restored.model(), TRAIN, VALID, state))
                    .hasMessage("resume: the state was saved with a different [learningRate]");
            MtlTrainer longer = new MtlTrainer(cfg.withEpochs(3), null, null);
            assertThatThrownBy(() -> longer.fit(restored.model(), TRAIN, null, state))
                    .hasMessageStartingWith("resume: the state was saved training on 512 rows validated on 128");
        }
    }
}
