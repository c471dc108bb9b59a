package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The single-task baseline is K models that share nothing: training it on {a, b} gives task a what
 * training it on {a} alone gives, with each task stopping at its own best epoch.
 */
class SingleTaskBaselineTests {

    private static final MtlDataset TRAIN = TestModels.data(640, 2, 11);
    private static final MtlDataset VALID = TestModels.data(160, 2, 12);
    private static final MtlDataset TEST = TestModels.data(200, 2, 13);

    // high enough a learning rate that the two tasks stop improving at different epochs
    private static TrainingConfig config() {
        return TrainingConfig.defaults()
                .withEpochs(25)
                .withPatience(2)
                .withBatchSize(64)
                .withLearningRate(0.03)
                .withWeightDecay(1e-4)
                .withClipNorm(0.5)
                .withSeed(7);
    }

    private static ModelSpec spec(List<ModelSpec.TaskSpec> tasks, double dropout) {
        ModelSpec s = TestModels.spec("single", 2);
        return new ModelSpec(
                "single",
                s.inputs(),
                tasks,
                s.experts(),
                s.bottomUnits(),
                s.towerUnits(),
                s.levels(),
                s.gateBias(),
                s.activation(),
                dropout,
                s.sluiceSubspaces());
    }

    private record Trained(float[][] predictions, TrainingResult result, long parameters) {}

    private static Trained train(List<Integer> tasks, double dropout, TrainingConfig config) {
        List<ModelSpec.TaskSpec> all = TestModels.spec("single", 2).tasks();
        ModelSpec spec = spec(tasks.stream().map(all::get).toList(), dropout);
        try (MtlModel model = MtlModel.create(spec, PreprocessingState.identity(spec.inputs()), 3)) {
            TrainingResult result =
                    new MtlTrainer(config, null, null).fit(model, columns(TRAIN, tasks), columns(VALID, tasks));
            return new Trained(model.predictEncoded(columns(TEST, tasks), 64).values(), result, model.parameterCount());
        }
    }

    /** The data with only the given label columns, in that order. */
    private static MtlDataset columns(MtlDataset data, List<Integer> tasks) {
        int k = data.tasks();
        float[] labels = new float[data.size() * tasks.size()];
        float[] mask = new float[data.size() * tasks.size()];
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < tasks.size(); j++) {
                labels[i * tasks.size() + j] = data.labels()[i * k + tasks.get(j)];
                mask[i * tasks.size() + j] = data.mask()[i * k + tasks.get(j)];
            }
        }
        return new MtlDataset(
                data.size(),
                data.denseWidth(),
                data.dense(),
                data.categoricalWidth(),
                data.categorical(),
                tasks.size(),
                labels,
                mask);
    }

    @Test
    void eachTaskPredictsAsItsModelAloneWouldWithItsOwnBestEpoch() {
        // dropout and a loss-weight schedule too: neither may let one task's training reach another's
        TrainingConfig config = config().withLossWeights(new LossWeightSpec.Uncertainty(null));
        Trained both = train(List.of(0, 1), 0.2, config);
        Trained first = train(List.of(0), 0.2, config);
        Trained second = train(List.of(1), 0.2, config);

        assertClose(both.predictions()[0], first.predictions()[0]);
        assertClose(both.predictions()[1], second.predictions()[0]);
        assertThat(both.result().taskBestEpochs())
                .isEqualTo(Map.of(
                        "t0", first.result().bestEpoch(), "t1", second.result().bestEpoch()));
        // the data makes them stop apart, so each task's kept epoch is truly its own
        assertThat(first.result().bestEpoch()).isNotEqualTo(second.result().bestEpoch());
        assertThat(both.result().epochsRun())
                .isEqualTo(Math.max(first.result().epochsRun(), second.result().epochsRun()));
        assertThat(both.parameters()).isEqualTo(first.parameters() + second.parameters());
    }

    @Test
    void aTaskOrderChangesNothing() {
        Trained forward = train(List.of(0, 1), 0.0, config());
        Trained reversed = train(List.of(1, 0), 0.0, config());
        assertClose(forward.predictions()[0], reversed.predictions()[1]);
        assertClose(forward.predictions()[1], reversed.predictions()[0]);
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i])
                    .as("prediction %d", i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void aSingleTaskModelSavedByTheEarlierBlockIsRefusedWithWhatToDo(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        try (MtlModel model = io.fulcrum.mtl.TestModels.model("single", 2, 3)) {
            io.fulcrum.mtl.Checkpoint.save(model, dir, 1);
        }
        // the root block's version byte comes first: 1 is the block that shared one input encoder
        Path parameters = dir.resolve("parameters.bin");
        byte[] bytes = java.nio.file.Files.readAllBytes(parameters);
        assertThat(bytes[0]).isEqualTo((byte) 2);
        bytes[0] = 1;
        java.nio.file.Files.write(parameters, bytes);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.fulcrum.mtl.Checkpoint.load(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another version of the single block")
                .hasMessageContaining("train the model again");
    }
}
