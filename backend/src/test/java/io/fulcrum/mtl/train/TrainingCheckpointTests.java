package io.fulcrum.mtl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.TestModels;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.loss.LossWeightSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCheckpointTests {

    private static final MtlDataset TRAIN = TestModels.data(256, 2, 1);
    private static final MtlDataset VALID = TestModels.data(64, 2, 2);

    /** One checkpoint per epoch as the epoch-end hook saw it: the state and the parameters. */
    private record Saved(TrainingState state, Map<String, float[]> parameters) {}

    /** Trains {@code epochs} epochs, saving every epoch end into {@code dir}. */
    private static List<Saved> train(Path dir, int epochs) {
        List<Saved> saved = new ArrayList<>();
        TrainingConfig cfg = TrainingConfig.defaults()
                .withEpochs(epochs)
                .withBatchSize(64)
                .withPatience(0)
                .withLossWeights(new LossWeightSpec.Uncertainty(0f));
        try (MtlModel model = TestModels.model("cgc", 2, 3)) {
            new MtlTrainer(cfg, null, null, (m, state) -> {
                        TrainingCheckpoint.save(m, state, dir);
                        saved.add(new Saved(state, EpochBook.snapshot(m)));
                    })
                    .fit(model, TRAIN, VALID);
        }
        return saved;
    }

    private static List<String> hiddenSiblings(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir.getParent())) {
            return list.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("."))
                    .toList();
        }
    }

    @Test
    void givesBackTheModelAndTheStateBitForBit(@TempDir Path root) {
        Path dir = root.resolve("run-1");
        Saved last = train(dir, 2).get(1);
        try (TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir)) {
            TrainingState a = restored.state();
            TrainingState b = last.state();
            assertThat(a.epochsDone()).isEqualTo(2);
            assertThat(a.globalStep()).isEqualTo(8);
            assertThat(a.trainedSamples()).isEqualTo(512);
            assertThat(a.trainSeconds()).isEqualTo(b.trainSeconds());
            assertThat(a.trainRows()).isEqualTo(256);
            assertThat(a.validationRows()).isEqualTo(64);
            assertThat(a.history()).hasSize(2);
            assertThat(a.history().get(1).validation())
                    .isEqualTo(b.history().get(1).validation());
            assertThat(a.history().get(1).taskLosses())
                    .containsExactly(b.history().get(1).taskLosses());
            assertThat(a.earlyStopping().bestEpoch())
                    .isEqualTo(b.earlyStopping().bestEpoch());
            assertThat(a.earlyStopping().bestValue())
                    .isEqualTo(b.earlyStopping().bestValue());
            assertThat(a.earlyStopping().bestParameters())
                    .containsOnlyKeys(last.parameters().keySet());
            assertThat(a.lossWeights().get("logVariance"))
                    .containsExactly(b.lossWeights().get("logVariance"));
            assertThat(a.optimizer().updates()).isEqualTo(8);
            assertThat(a.optimizer().means())
                    .containsOnlyKeys(b.optimizer().means().keySet());
            b.optimizer()
                    .variances()
                    .forEach((name, v) ->
                            assertThat(a.optimizer().variances().get(name)).containsExactly(v));
            Map<String, float[]> loaded = EpochBook.snapshot(restored.model());
            last.parameters().forEach((name, v) -> assertThat(loaded.get(name)).containsExactly(v));
            assertThat(Checkpoint.metadata(dir).epoch()).isEqualTo(2);
        }
    }

    @Nested
    class Rejects {

        @Test
        void aDirectoryWithoutTheStateFile(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            Files.delete(dir.resolve(TrainingCheckpoint.STATE_FILE));
            assertThatThrownBy(() -> TrainingCheckpoint.load(dir))
                    .isInstanceOf(InvalidCheckpointException.class)
                    .hasMessage("training checkpoint: " + dir + " has no training-state.json; it is not a complete"
                            + " training checkpoint (a write or copy was cut short?)");
        }

        @Test
        void aCutShortParameterFile(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            Path parameters = dir.resolve("parameters.bin");
            long size = Files.size(parameters);
            try (RandomAccessFile f = new RandomAccessFile(parameters.toFile(), "rw")) {
                f.setLength(size / 2);
            }
            assertThatThrownBy(() -> TrainingCheckpoint.load(dir))
                    .isInstanceOf(InvalidCheckpointException.class)
                    .hasMessage("training checkpoint: " + dir + " is torn: parameters.bin has " + size / 2
                            + " bytes, training-state.json recorded " + size);
        }

        @Test
        void aMissingArrayFile(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            Files.delete(dir.resolve(TrainingCheckpoint.ARRAYS_FILE));
            assertThatThrownBy(() -> TrainingCheckpoint.readState(dir))
                    .hasMessage("training checkpoint: " + dir + " is incomplete: training-arrays.bin is missing");
        }

        @Test
        void anAlteredArrayFile(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            try (RandomAccessFile f = new RandomAccessFile(
                    dir.resolve(TrainingCheckpoint.ARRAYS_FILE).toFile(), "rw")) {
                f.seek(f.length() - 3);
                int b = f.read();
                f.seek(f.length() - 3);
                f.write(b ^ 0x40);
            }
            assertThatThrownBy(() -> TrainingCheckpoint.load(dir))
                    .hasMessage("training checkpoint: " + dir + " is damaged: training-arrays.bin does not match the"
                            + " CRC-32 training-state.json recorded");
        }

        @Test
        void aCutShortStateFile(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            Path state = dir.resolve(TrainingCheckpoint.STATE_FILE);
            try (RandomAccessFile f = new RandomAccessFile(state.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            assertThatThrownBy(() -> TrainingCheckpoint.load(dir))
                    .isInstanceOf(InvalidCheckpointException.class)
                    .hasMessageStartingWith("training checkpoint: " + state + " is unreadable (cut short?)");
        }

        @Test
        void aDirectoryThatDoesNotExist(@TempDir Path root) {
            assertThatThrownBy(() -> TrainingCheckpoint.load(root.resolve("nothing")))
                    .hasMessage("training checkpoint: " + root.resolve("nothing") + " does not exist");
        }
    }

    @Nested
    class AtomicWrite {

        @Test
        void aWriteThatFailsHalfwayLeavesTheOldCheckpoint(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            Saved first = train(dir, 1).get(0);
            MtlModel closed = TestModels.model("cgc", 2, 3);
            closed.close(); // spec.json gets written, the parameters cannot be
            assertThatThrownBy(() -> TrainingCheckpoint.save(closed, first.state(), dir));
            assertThat(TrainingCheckpoint.readState(dir).epochsDone()).isEqualTo(1);
            assertThat(hiddenSiblings(dir)).isEmpty();
        }

        @Test
        void aWriterKilledBeforeItsRenameLeavesGarbageThatIsIgnoredThenRemoved(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            Path leftover = Files.createDirectory(root.resolve(".ckpt.tmp-12345"));
            Files.copy(dir.resolve("spec.json"), leftover.resolve("spec.json"));
            assertThat(TrainingCheckpoint.readState(dir).epochsDone()).isEqualTo(1);
            train(dir, 2);
            assertThat(TrainingCheckpoint.readState(dir).epochsDone()).isEqualTo(2);
            assertThat(hiddenSiblings(dir)).isEmpty();
        }

        @Test
        void aWriterKilledBetweenItsRenamesLeavesTheOldCheckpointReadable(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 1);
            // the state a replacing write is in after its first rename: the old directory set aside
            Files.move(dir, root.resolve(".ckpt.replaced-000000000000001"));
            try (TrainingCheckpoint.Restored restored = TrainingCheckpoint.load(dir)) {
                assertThat(restored.state().epochsDone()).isEqualTo(1);
            }
            train(dir, 2);
            assertThat(TrainingCheckpoint.readState(dir).epochsDone()).isEqualTo(2);
            assertThat(hiddenSiblings(dir)).isEmpty();
        }

        @Test
        void replacingLeavesOnlyTheNewCheckpoint(@TempDir Path root) throws IOException {
            Path dir = root.resolve("ckpt");
            train(dir, 3); // each epoch replaces the previous one
            assertThat(TrainingCheckpoint.readState(dir).epochsDone()).isEqualTo(3);
            try (Stream<Path> list = Files.list(root)) {
                assertThat(list.map(p -> p.getFileName().toString())).containsExactly("ckpt");
            }
        }
    }
}
