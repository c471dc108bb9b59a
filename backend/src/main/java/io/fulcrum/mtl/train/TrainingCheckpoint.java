package io.fulcrum.mtl.train;

import ai.djl.Device;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.MtlModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A directory to resume training from: the model {@link Checkpoint} (spec.json, preprocessing.json,
 * checkpoint.json, parameters.bin) plus training-state.json (counters, EPOCH history, early-stopping
 * scalars, the loss-weight schedule's state, Adam's step count, and the size and CRC-32 of every other
 * file) and training-arrays.bin (Adam's moments, the best epoch's parameters). The directory is written
 * atomically and training-state.json last, so a directory whose files do not match it is rejected.
 */
public final class TrainingCheckpoint {

    public static final int FORMAT = 1;
    public static final String STATE_FILE = "training-state.json";
    public static final String ARRAYS_FILE = "training-arrays.bin";

    private static final List<String> CHECKED_FILES =
            List.of("spec.json", "preprocessing.json", "checkpoint.json", "parameters.bin", ARRAYS_FILE);
    private static final String MEAN = "adam.mean/";
    private static final String VARIANCE = "adam.variance/";
    private static final String BEST = "best/";

    /** A loaded checkpoint; closing it closes the model. */
    public record Restored(MtlModel model, TrainingState state) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /** What training-state.json holds: the state's scalars and history, and the other files' digests. */
    record StateFile(
            int format,
            TrainingConfig config,
            int trainRows,
            int validationRows,
            int epochsDone,
            long globalStep,
            long trainedSamples,
            double trainSeconds,
            List<TrainingProgress> history,
            double bestValue,
            int bestEpoch,
            int badEpochs,
            boolean hasBestParameters,
            List<TrainingState.TaskStopping> taskStopping,
            Map<String, double[]> lossWeights,
            int optimizerUpdates,
            Map<String, FileDigest> files) {}

    record FileDigest(long bytes, long crc32) {}

    private TrainingCheckpoint() {}

    /**
     * Writes the model's current parameters and the state into {@code dir}, replacing what was there; a
     * kill at any point leaves either the previous complete directory or the new one.
     */
    public static void save(MtlModel model, TrainingState state, Path dir) {
        try {
            AtomicDirectory.write(dir, tmp -> {
                Checkpoint.save(model, tmp, state.epochsDone());
                ArrayFile.write(tmp.resolve(ARRAYS_FILE), arrays(state));
                Map<String, FileDigest> files = new LinkedHashMap<>();
                for (String f : CHECKED_FILES) {
                    files.put(f, digest(tmp.resolve(f)));
                }
                Json.MAPPER.writeValue(tmp.resolve(STATE_FILE).toFile(), stateFile(state, files));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("training checkpoint: cannot write " + dir, e);
        }
    }

    /** {@link #load(Path, Device)} onto the CPU. */
    public static Restored load(Path dir) {
        return load(dir, Device.cpu());
    }

    /** The model (as {@link Checkpoint#load} builds it, on {@code device}) and the state, after checking every file. */
    public static Restored load(Path dir, Device device) {
        Path current = current(dir);
        TrainingState state = readState(current);
        MtlModel model = Checkpoint.load(current, device);
        if (Checkpoint.metadata(current).epoch() != state.epochsDone()) {
            model.close();
            throw new InvalidCheckpointException("training checkpoint: " + current + " holds the parameters of epoch "
                    + Checkpoint.metadata(current).epoch() + " but the state of epoch " + state.epochsDone());
        }
        return new Restored(model, state);
    }

    /** The state alone (e.g. to learn the epoch), after checking every file of the directory. */
    public static TrainingState readState(Path dir) {
        Path current = current(dir);
        Path stateFile = current.resolve(STATE_FILE);
        if (!Files.isDirectory(current)) {
            throw new InvalidCheckpointException("training checkpoint: " + dir + " does not exist");
        }
        if (!Files.exists(stateFile)) {
            throw new InvalidCheckpointException("training checkpoint: " + current + " has no " + STATE_FILE
                    + "; it is not a complete training checkpoint (a write or copy was cut short?)");
        }
        StateFile file;
        try {
            file = Json.MAPPER.readValue(stateFile.toFile(), StateFile.class);
        } catch (RuntimeException e) {
            throw new InvalidCheckpointException(
                    "training checkpoint: " + stateFile + " is unreadable (cut short?): " + e.getMessage(), e);
        }
        if (file.format() != FORMAT) {
            throw new InvalidCheckpointException(
                    "training checkpoint: " + stateFile + " has format " + file.format() + ", expected " + FORMAT);
        }
        verify(current, file);
        try {
            return toState(file, ArrayFile.read(current.resolve(ARRAYS_FILE)));
        } catch (IOException e) {
            throw new InvalidCheckpointException("training checkpoint: " + current + ": " + e.getMessage(), e);
        }
    }

    private static Path current(Path dir) {
        try {
            return AtomicDirectory.current(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("training checkpoint: cannot list the parent of " + dir, e);
        }
    }

    private static void verify(Path dir, StateFile file) {
        if (file.files() == null || !file.files().keySet().containsAll(CHECKED_FILES)) {
            throw new InvalidCheckpointException(
                    "training checkpoint: " + dir.resolve(STATE_FILE) + " does not list " + CHECKED_FILES);
        }
        for (String name : CHECKED_FILES) {
            Path f = dir.resolve(name);
            FileDigest expected = file.files().get(name);
            if (!Files.exists(f)) {
                throw new InvalidCheckpointException(
                        "training checkpoint: " + dir + " is incomplete: " + name + " is missing");
            }
            FileDigest actual = digest(f);
            if (actual.bytes() != expected.bytes()) {
                throw new InvalidCheckpointException("training checkpoint: " + dir + " is torn: " + name + " has "
                        + actual.bytes() + " bytes, " + STATE_FILE + " recorded " + expected.bytes());
            }
            if (actual.crc32() != expected.crc32()) {
                throw new InvalidCheckpointException("training checkpoint: " + dir + " is damaged: " + name
                        + " does not match the CRC-32 " + STATE_FILE + " recorded");
            }
        }
    }

    private static FileDigest digest(Path file) {
        CRC32 crc = new CRC32();
        long bytes = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                bytes += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training checkpoint: cannot read " + file, e);
        }
        return new FileDigest(bytes, crc.getValue());
    }

    private static Map<String, float[]> arrays(TrainingState state) {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        state.optimizer().means().forEach((name, values) -> arrays.put(MEAN + name, values));
        state.optimizer().variances().forEach((name, values) -> arrays.put(VARIANCE + name, values));
        Map<String, float[]> best = state.earlyStopping().bestParameters();
        if (best != null) {
            best.forEach((name, values) -> arrays.put(BEST + name, values));
        }
        return arrays;
    }

    private static StateFile stateFile(TrainingState state, Map<String, FileDigest> files) {
        TrainingState.EarlyStopping es = state.earlyStopping();
        return new StateFile(
                FORMAT,
                state.config(),
                state.trainRows(),
                state.validationRows(),
                state.epochsDone(),
                state.globalStep(),
                state.trainedSamples(),
                state.trainSeconds(),
                state.history(),
                es.bestValue(),
                es.bestEpoch(),
                es.badEpochs(),
                es.bestParameters() != null,
                es.tasks(),
                state.lossWeights(),
                state.optimizer().updates(),
                files);
    }

    private static TrainingState toState(StateFile file, Map<String, float[]> arrays) {
        Map<String, float[]> means = withPrefix(arrays, MEAN);
        Map<String, float[]> variances = withPrefix(arrays, VARIANCE);
        Map<String, float[]> best = withPrefix(arrays, BEST);
        return new TrainingState(
                file.config(),
                file.trainRows(),
                file.validationRows(),
                file.epochsDone(),
                file.globalStep(),
                file.trainedSamples(),
                file.trainSeconds(),
                file.history(),
                new TrainingState.EarlyStopping(
                        file.bestValue(),
                        file.bestEpoch(),
                        file.badEpochs(),
                        file.hasBestParameters() ? best : null,
                        file.taskStopping()),
                file.lossWeights() == null ? Map.of() : file.lossWeights(),
                new TrainingState.OptimizerState(file.optimizerUpdates(), means, variances));
    }

    private static Map<String, float[]> withPrefix(Map<String, float[]> arrays, String prefix) {
        Map<String, float[]> selected = new LinkedHashMap<>();
        arrays.forEach((name, values) -> {
            if (name.startsWith(prefix)) {
                selected.put(name.substring(prefix.length()), values);
            }
        });
        return selected;
    }
}
