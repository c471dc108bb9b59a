package io.fulcrum.mtl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.nn.Parameter;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * A checkpoint directory: spec.json, preprocessing.json, checkpoint.json (epoch, format) and
 * parameters.bin (DJL's block parameter format). Loading rebuilds the block from the spec and reads
 * the parameters back, so predictions are identical, and the loaded model can be trained further.
 */
public final class Checkpoint {

    public static final int FORMAT = 1;

    /** What the checkpoint records besides the arrays. */
    public record Metadata(int format, int epoch, String engine, long parameters) {}

    private Checkpoint() {}

    public static void save(MtlModel model, Path dir, int epoch) {
        try {
            Files.createDirectories(dir);
            Json.MAPPER.writeValue(dir.resolve("spec.json").toFile(), model.spec());
            Json.MAPPER.writeValue(dir.resolve("preprocessing.json").toFile(), model.preprocessing());
            Json.MAPPER.writeValue(
                    dir.resolve("checkpoint.json").toFile(),
                    new Metadata(FORMAT, epoch, MtlModel.ENGINE, model.parameterCount()));
            try (DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(dir.resolve("parameters.bin"))))) {
                model.block().saveParameters(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot write " + dir, e);
        }
    }

    /**
     * Writes the categorical features' vocabularies (value i has id i, as the training data encoded
     * it) beside a saved model, so that the model encodes requests from its own directory, without
     * the dataset it was trained on.
     */
    public static void saveVocabularies(Path dir, Map<String, List<String>> vocabularies) {
        try {
            Files.createDirectories(dir);
            Json.MAPPER.writeValue(dir.resolve(VOCABULARIES).toFile(), vocabularies);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot write " + dir.resolve(VOCABULARIES), e);
        }
    }

    /** The vocabularies saved beside a model; empty for a model saved before they were (2026-12-06). */
    public static Optional<Map<String, List<String>>> vocabularies(Path dir) {
        Path file = dir.resolve(VOCABULARIES);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Json.MAPPER.readValue(file.toFile(), VOCABULARY_MAP));
    }

    private static final String VOCABULARIES = "vocabularies.json";
    private static final TypeReference<Map<String, List<String>>> VOCABULARY_MAP = new TypeReference<>() {};

    public static Metadata metadata(Path dir) {
        return Json.MAPPER.readValue(dir.resolve("checkpoint.json").toFile(), Metadata.class);
    }

    /** {@link #load(Path, Device)} onto the CPU. */
    public static MtlModel load(Path dir) {
        return load(dir, Device.cpu());
    }

    /** The saved model, built on {@code device}: a checkpoint loads on either device. */
    public static MtlModel load(Path dir, Device device) {
        Metadata meta = metadata(dir);
        if (meta.format() != FORMAT) {
            throw new IllegalArgumentException("checkpoint.format: unsupported " + meta.format());
        }
        ModelSpec spec = Json.MAPPER.readValue(dir.resolve("spec.json").toFile(), ModelSpec.class);
        PreprocessingState prep =
                Json.MAPPER.readValue(dir.resolve("preprocessing.json").toFile(), PreprocessingState.class);
        MtlModel model = MtlModel.create(spec, prep, 0, device);
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve("parameters.bin"))))) {
            model.block().loadParameters(model.manager(), in);
            // loading replaces the arrays with ones that do not record gradients; a resumed run trains them
            for (Parameter p : model.parameters()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            return model;
        } catch (MalformedModelException e) {
            model.close();
            // a block's version byte changes with its parameters' layout
            throw new IllegalStateException(
                    "checkpoint: the parameters in " + dir + " were saved by another version of the "
                            + spec.architecture() + " block (" + e.getMessage() + "); train the model again"
                            + (spec.kind() == io.fulcrum.mtl.model.Architecture.SINGLE
                                    ? ": single-task models share no embeddings since 2026-12-06"
                                    : ""),
                    e);
        } catch (IOException e) {
            model.close();
            throw new IllegalStateException("checkpoint: cannot read parameters from " + dir, e);
        }
    }
}
