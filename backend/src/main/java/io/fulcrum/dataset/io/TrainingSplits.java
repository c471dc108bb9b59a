package io.fulcrum.dataset.io;

import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dataset's cache as the engine trains on it: one {@link MtlDataset} per split, already encoded by
 * the dataset's train-only {@link Preprocessing}, plus the model inputs and the preprocessing state
 * that a checkpoint keeps for serving. Every DENSE and CATEGORICAL column is an input; LABEL columns
 * are targets only, so a label can never leak into the inputs; the WEIGHT column is never an input and
 * becomes the splits' per-sample weights only when asked for.
 *
 * @param inputs the dense columns and, per categorical column, its vocabulary size and embedding width
 * @param preprocessing the same transform in the engine's terms, for checkpoints and serving
 */
public record TrainingSplits(
        ModelSpec.Inputs inputs,
        PreprocessingState preprocessing,
        List<ModelSpec.TaskSpec> tasks,
        MtlDataset train,
        MtlDataset validation,
        MtlDataset test) {

    /**
     * Where a task's labels and sample space come from.
     *
     * @param spaceColumn the column whose value 1 puts a sample in the task's space (another task's
     *     label or a plain column), or null for every sample; a missing label always leaves the space
     */
    public record TaskColumns(String name, TaskType type, String labelColumn, String spaceColumn) {}

    /**
     * The engine's tasks. A task whose sample-space column is another task's label follows that task
     * (cvr after ctr): its samples are exactly that task's positives, the step of a funnel.
     */
    public static List<ModelSpec.TaskSpec> taskSpecs(List<TaskColumns> tasks) {
        java.util.Map<String, String> taskOfLabel = new java.util.LinkedHashMap<>();
        for (TaskColumns t : tasks) {
            taskOfLabel.putIfAbsent(t.labelColumn(), t.name());
        }
        return tasks.stream()
                .map(t -> {
                    String after = t.spaceColumn() == null ? null : taskOfLabel.get(t.spaceColumn());
                    return new ModelSpec.TaskSpec(t.name(), t.type(), t.name().equals(after) ? null : after);
                })
                .toList();
    }

    /** The splits without sample weights: every sample weighs 1, whatever the cache holds. */
    public static TrainingSplits load(
            ColumnarCache cache, Preprocessing preprocessing, List<TaskColumns> tasks, int maxEmbeddingDim)
            throws IOException {
        return load(cache, preprocessing, tasks, maxEmbeddingDim, false);
    }

    /**
     * @param sampleWeights whether the splits carry the values of the cache's WEIGHT column as per-sample
     *     weights (the trainer weighs the loss with them; metrics ignore them); the cache must have one
     */
    public static TrainingSplits load(
            ColumnarCache cache,
            Preprocessing preprocessing,
            List<TaskColumns> tasks,
            int maxEmbeddingDim,
            boolean sampleWeights)
            throws IOException {
        Encoding encoding = Encoding.of(cache, preprocessing, maxEmbeddingDim);
        List<ModelSpec.TaskSpec> taskSpecs = taskSpecs(tasks);
        FloatBuffer weights = null;
        if (sampleWeights) {
            String column = weightColumn(cache.meta())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "sampleWeights: the dataset has no WEIGHT column to weigh samples by"));
            weights = cache.floats(column);
        }
        Columns columns = Columns.read(cache, encoding.dense(), encoding.categorical(), tasks, preprocessing, weights);
        MtlDataset[] splits = new MtlDataset[3];
        for (int split = 0; split < 3; split++) {
            splits[split] = columns.split((byte) split, (int) cache.meta().splitRows()[split]);
        }
        return new TrainingSplits(encoding.inputs(), encoding.state(), taskSpecs, splits[0], splits[1], splits[2]);
    }

    /** The cache's WEIGHT column, if it has one (an import accepts at most one). */
    public static Optional<String> weightColumn(CacheMeta meta) {
        return meta.columns().stream()
                .filter(c -> c.role() == ColumnRole.WEIGHT)
                .map(CacheMeta.CachedColumn::name)
                .findFirst();
    }

    /** The model inputs a cache gives, without reading its rows: what a run's spec is checked against. */
    public static ModelSpec.Inputs inputs(ColumnarCache cache, Preprocessing preprocessing, int maxEmbeddingDim) {
        return Encoding.of(cache, preprocessing, maxEmbeddingDim).inputs();
    }

    /** Which cached columns feed the model, and how they are encoded. */
    private record Encoding(
            List<CacheMeta.CachedColumn> dense,
            List<CacheMeta.CachedColumn> categorical,
            ModelSpec.Inputs inputs,
            PreprocessingState state) {

        static Encoding of(ColumnarCache cache, Preprocessing preprocessing, int maxEmbeddingDim) {
            List<CacheMeta.CachedColumn> dense = new ArrayList<>();
            List<CacheMeta.CachedColumn> categorical = new ArrayList<>();
            for (CacheMeta.CachedColumn column : cache.meta().columns()) {
                if (column.role() == ColumnRole.DENSE) {
                    dense.add(column);
                } else if (column.categorical()) {
                    categorical.add(column);
                }
            }
            List<ModelSpec.CategoricalFeature> features = new ArrayList<>();
            List<PreprocessingState.Vocabulary> vocabularies = new ArrayList<>();
            for (CacheMeta.CachedColumn column : categorical) {
                Preprocessing.CategoricalIndex index =
                        preprocessing.categorical().get(column.name());
                int known = index.rows() - 1;
                features.add(
                        new ModelSpec.CategoricalFeature(column.name(), known, embeddingDim(known, maxEmbeddingDim)));
                vocabularies.add(new PreprocessingState.Vocabulary(column.name(), idsByRow(index)));
            }
            double[] means = new double[dense.size()];
            double[] stds = new double[dense.size()];
            for (int j = 0; j < dense.size(); j++) {
                Preprocessing.DenseScaling scaling =
                        preprocessing.dense().get(dense.get(j).name());
                means[j] = scaling.mean();
                stds[j] = scaling.std();
            }
            ModelSpec.Inputs inputs = new ModelSpec.Inputs(
                    dense.stream().map(CacheMeta.CachedColumn::name).toList(), features);
            PreprocessingState state = new PreprocessingState(inputs.dense(), means, stds, vocabularies);
            return new Encoding(dense, categorical, inputs, state);
        }
    }

    /** A common rule of thumb, 6·n^¼, capped: wide enough for big vocabularies, small for a handful of levels. */
    static int embeddingDim(int vocabularySize, int max) {
        return Math.max(1, Math.min(max, (int) Math.ceil(6 * Math.pow(Math.max(vocabularySize, 1), 0.25))));
    }

    /** The engine's vocabulary lists the raw value of embedding row r at position r − 1. */
    private static long[] idsByRow(Preprocessing.CategoricalIndex index) {
        long[] ids = new long[index.rows() - 1];
        int[] rowOfId = index.rowOfId();
        for (int id = 0; id < rowOfId.length; id++) {
            if (rowOfId[id] != Preprocessing.OUT_OF_VOCABULARY) {
                ids[rowOfId[id] - 1] = id;
            }
        }
        return ids;
    }

    /** The mapped column buffers of one cache, encoded row by row into a split's arrays. */
    private record Columns(
            ByteBuffer splits,
            FloatBuffer[] dense,
            Preprocessing.DenseScaling[] scalings,
            IntBuffer[] categorical,
            Preprocessing.CategoricalIndex[] indexes,
            FloatBuffer[] labels,
            FloatBuffer[] spaces,
            FloatBuffer weights) {

        static Columns read(
                ColumnarCache cache,
                List<CacheMeta.CachedColumn> dense,
                List<CacheMeta.CachedColumn> categorical,
                List<TaskColumns> tasks,
                Preprocessing preprocessing,
                FloatBuffer weights)
                throws IOException {
            FloatBuffer[] denseValues = new FloatBuffer[dense.size()];
            Preprocessing.DenseScaling[] scalings = new Preprocessing.DenseScaling[dense.size()];
            for (int j = 0; j < dense.size(); j++) {
                denseValues[j] = cache.floats(dense.get(j).name());
                scalings[j] = preprocessing.dense().get(dense.get(j).name());
            }
            IntBuffer[] ids = new IntBuffer[categorical.size()];
            Preprocessing.CategoricalIndex[] indexes = new Preprocessing.CategoricalIndex[categorical.size()];
            for (int c = 0; c < categorical.size(); c++) {
                ids[c] = cache.ids(categorical.get(c).name());
                indexes[c] = preprocessing.categorical().get(categorical.get(c).name());
            }
            FloatBuffer[] labels = new FloatBuffer[tasks.size()];
            FloatBuffer[] spaces = new FloatBuffer[tasks.size()];
            for (int k = 0; k < tasks.size(); k++) {
                TaskColumns task = tasks.get(k);
                labels[k] = numeric(cache, task.labelColumn(), "tasks[" + k + "].labelColumn");
                spaces[k] = task.spaceColumn() == null
                        ? null
                        : numeric(cache, task.spaceColumn(), "tasks[" + k + "].spaceColumn");
            }
            return new Columns(cache.splits(), denseValues, scalings, ids, indexes, labels, spaces, weights);
        }

        private static FloatBuffer numeric(ColumnarCache cache, String name, String field) throws IOException {
            if (!cache.hasColumn(name) || cache.column(name).categorical()) {
                throw new IllegalArgumentException(field + ": '" + name + "' is not a numeric column of the dataset");
            }
            return cache.floats(name);
        }

        MtlDataset split(byte which, int size) {
            int nd = dense.length;
            int nc = categorical.length;
            int nk = labels.length;
            float[] x = new float[size * nd];
            long[] c = new long[size * nc];
            float[] y = new float[size * nk];
            float[] mask = new float[size * nk];
            float[] w = weights == null ? null : new float[size];
            int row = 0;
            for (int r = 0; r < splits.limit(); r++) {
                if (splits.get(r) != which) {
                    continue;
                }
                for (int j = 0; j < nd; j++) {
                    x[row * nd + j] = scalings[j].apply(dense[j].get(r));
                }
                for (int j = 0; j < nc; j++) {
                    c[row * nc + j] = indexes[j].apply(categorical[j].get(r));
                }
                for (int k = 0; k < nk; k++) {
                    float label = labels[k].get(r);
                    boolean inSpace = !Float.isNaN(label) && (spaces[k] == null || spaces[k].get(r) == 1f);
                    y[row * nk + k] = inSpace ? label : 0f;
                    mask[row * nk + k] = inSpace ? 1f : 0f;
                }
                if (w != null) {
                    w[row] = weight(r);
                }
                row++;
            }
            return new MtlDataset(size, nd, x, nc, c, nk, y, mask, w);
        }

        /** Imports reject bad weights; a cache imported before they did may still hold one. */
        private float weight(int r) {
            float value = weights.get(r);
            if (!(value >= 0f && Float.isFinite(value))) {
                throw new IllegalArgumentException("sampleWeights: cached row " + (r + 1) + " has the weight " + value
                        + "; weights must be finite and >= 0 (re-import the dataset to find the line)");
            }
            return value;
        }
    }
}
