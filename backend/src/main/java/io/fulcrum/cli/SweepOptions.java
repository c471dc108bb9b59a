package io.fulcrum.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.metric.Tolerance;
import io.fulcrum.mtl.train.TrainingConfig;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options that {@code reproduce census} and {@code reproduce video} share: which models, how many
 * seeds, how to train them and how to print the result.
 */
record SweepOptions(
        List<String> models,
        List<Integer> seeds,
        TrainingConfig config,
        List<Integer> expertUnits,
        List<Integer> towerUnits,
        int maxEmbeddingDim,
        Tolerance tolerance,
        ParameterMatch matching,
        String format) {

    /** Seeds 1..5 unless {@code --seeds} says otherwise. */
    static final int DEFAULT_SEEDS = 5;

    private static final Set<String> NAMES = Set.of(
            "models",
            "seeds",
            "format",
            "epochs",
            "batch",
            "lr",
            "patience",
            "expert-units",
            "tower-units",
            "embedding-dim",
            "tolerance",
            "threads",
            "monitor",
            ParameterMatch.BUDGET);

    /** The switches that {@code reproduce census} and {@code reproduce video} share. */
    static final Set<String> FLAGS = Set.of(ParameterMatch.FLAG);

    /** The shared switches plus a command's own. */
    static Set<String> flagsWith(String... own) {
        Set<String> flags = new HashSet<>(FLAGS);
        flags.addAll(List.of(own));
        return flags;
    }

    /** The shared option names plus a command's own. */
    static Set<String> namesWith(String... own) {
        Set<String> names = new HashSet<>(NAMES);
        names.addAll(List.of(own));
        return names;
    }

    /** Reads the options, and sets the engine's thread count (one per training is fastest for these models). */
    static SweepOptions parse(
            CliArgs a, String defaultModels, int defaultEpochs, int defaultPatience, String defaultMonitor) {
        List<String> models = a.list("models", defaultModels);
        ModelName.check(models);
        TrainingConfig config = TrainingConfig.defaults()
                .withBatchSize(a.integer("batch", 512, 1))
                .withLearningRate(a.decimal("lr", 2e-3))
                .withEpochs(a.integer("epochs", defaultEpochs, 1))
                .withPatience(a.integer("patience", defaultPatience, 0))
                .withMonitor(monitor(a.string("monitor", defaultMonitor)));
        SweepOptions options = new SweepOptions(
                models,
                a.seeds("seeds", DEFAULT_SEEDS),
                config,
                a.list("expert-units", "64").stream().map(Integer::parseInt).toList(),
                a.list("tower-units", "32").stream().map(Integer::parseInt).toList(),
                a.integer("embedding-dim", 8, 1),
                tolerance(a),
                ParameterMatch.parse(a),
                a.format());
        Engine.getEngine(MtlModel.ENGINE);
        JniUtils.setNumThreads(a.integer("threads", 1, 1));
        return options;
    }

    /** {@code --tolerance}: one value or metric=value pairs, absolute or p% ({@link Tolerance}). */
    static Tolerance tolerance(CliArgs a) {
        try {
            return Tolerance.parse(a.string("tolerance", "0"));
        } catch (Tolerance.InvalidTolerance e) {
            throw new IllegalArgumentException("--tolerance: " + e.getMessage(), e);
        }
    }

    private static String monitor(String value) {
        if (!value.equals("loss") && !value.equals("auc")) {
            throw new IllegalArgumentException("--monitor: loss or auc, got '" + value + "'");
        }
        return value;
    }

    /** Adds these options to a report's settings. */
    void describe(Map<String, Object> settings) {
        settings.put("models", models);
        settings.put("seeds", seeds.size());
        settings.put("seedList", seeds);
        settings.put("epochs", config.epochs());
        settings.put("batch", config.batchSize());
        settings.put("learningRate", config.learningRate());
        settings.put("patience", config.patience());
        settings.put("monitor", config.monitor());
        settings.put("expertUnits", expertUnits);
        settings.put("towerUnits", towerUnits);
        settings.put("experts", Map.of("shared", 2, "perTask", 2, "mmoe", 6));
        settings.put("maxEmbeddingDim", maxEmbeddingDim);
        settings.put("tolerance", tolerance.spec());
        matching.describe(settings);
    }

    SplitsReproduction reproduction(PrintStream err) {
        return new SplitsReproduction(expertUnits, towerUnits, config, matching, err);
    }
}
