package io.fulcrum.rollout;

import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request's candidates into the model's encoded input rows, as training encoded its samples:
 * dense values standardised with the version's means and deviations, categorical values mapped to
 * their embedding rows through the training dataset's text of each value (unknown ones to row 0, the
 * out-of-vocabulary row). Each input is read from the candidate's features first, then from the
 * request's context.
 */
final class CandidateEncoder {

    private final int tasks;
    private final String[] denseNames;
    private final double[] means;
    private final double[] stds;
    private final String[] categoricalNames;
    private final List<Map<String, Integer>> rows;

    /**
     * @param values per categorical input, the text of each value by the id the preprocessing lists
     *     it under (the training dataset's vocabulary)
     */
    CandidateEncoder(ModelSpec spec, PreprocessingState preprocessing, Map<String, List<String>> values) {
        ModelSpec.Inputs inputs = spec.inputs();
        this.tasks = spec.taskCount();
        this.denseNames = inputs.dense().toArray(String[]::new);
        if (!preprocessing.dense().equals(inputs.dense())) {
            throw new IllegalStateException("the preprocessing's dense columns differ from the model's inputs");
        }
        this.means = preprocessing.means();
        this.stds = preprocessing.stds();
        this.categoricalNames = inputs.categorical().stream()
                .map(ModelSpec.CategoricalFeature::name)
                .toArray(String[]::new);
        this.rows = new java.util.ArrayList<>();
        for (int c = 0; c < categoricalNames.length; c++) {
            PreprocessingState.Vocabulary vocabulary =
                    preprocessing.vocabularies().get(c);
            if (!vocabulary.name().equals(categoricalNames[c])) {
                throw new IllegalStateException("the preprocessing's categorical columns differ from the model's");
            }
            List<String> text = values.get(categoricalNames[c]);
            long[] ids = vocabulary.values();
            Map<String, Integer> row = new HashMap<>(ids.length * 2);
            for (int r = 0; r < ids.length; r++) {
                if (text != null && (ids[r] < 0 || ids[r] >= text.size())) {
                    throw new IllegalStateException("the dataset has no value " + ids[r] + " in column "
                            + categoricalNames[c] + " that the model was trained with");
                }
                // without the dataset's text, the preprocessing's ids are taken as the values themselves
                row.put(text == null ? Long.toString(ids[r]) : text.get((int) ids[r]), r + 1);
            }
            rows.add(row);
        }
    }

    String[] categoricalNames() {
        return categoricalNames;
    }

    /** The embedding row of a categorical value as a client sends it (0: out of vocabulary). */
    int rowOf(int categorical, String value) {
        return rows.get(categorical).getOrDefault(value, 0);
    }

    /** Entries of the version's categorical vocabularies: what the loaded version holds besides parameters. */
    long vocabularyEntries() {
        return rows.stream().mapToLong(Map::size).sum();
    }

    /** Encoded rows of every candidate, the OOV count, and each candidate's length, or violations. */
    record Encoded(MtlDataset rows, int oovValues, int[] oovByFeature, double[] lengths) {}

    Encoded encode(RankRequest request, boolean needsLength, Violations violations) {
        List<RankRequest.Candidate> candidates = request.candidates();
        Map<String, Object> context = request.context() == null ? Map.of() : request.context();
        int n = candidates.size();
        int nd = denseNames.length;
        int nc = categoricalNames.length;
        int[] oovByFeature = new int[nc];

        // context values are shared: read each once, and count an unknown one once
        float[] contextDense = new float[nd];
        boolean[] hasContextDense = new boolean[nd];
        for (int j = 0; j < nd; j++) {
            Object v = context.get(denseNames[j]);
            if (v != null) {
                hasContextDense[j] = dense(v, "context." + denseNames[j], contextDense, j, violations);
            }
        }
        long[] contextRow = new long[nc];
        boolean[] hasContextRow = new boolean[nc];
        boolean[] contextOov = new boolean[nc];
        for (int c = 0; c < nc; c++) {
            Object v = context.get(categoricalNames[c]);
            if (v != null) {
                String text = categorical(v, "context." + categoricalNames[c], violations);
                if (text != null) {
                    contextRow[c] = rowOf(c, text);
                    hasContextRow[c] = true;
                }
            }
        }

        float[] dense = new float[n * nd];
        long[] categorical = new long[n * nc];
        double[] lengths = new double[n];
        for (int i = 0; i < n; i++) {
            RankRequest.Candidate candidate = candidates.get(i);
            if (candidate == null) {
                continue; // reported with the request's shape
            }
            Map<String, Object> features = candidate.features() == null ? Map.of() : candidate.features();
            for (int j = 0; j < nd; j++) {
                Object v = features.get(denseNames[j]);
                if (v != null) {
                    if (dense(v, feature(i, denseNames[j]), dense, i * nd + j, violations)) {
                        dense[i * nd + j] = standardised(dense[i * nd + j], j);
                    }
                } else if (hasContextDense[j]) {
                    dense[i * nd + j] = standardised(contextDense[j], j);
                } else if (context.get(denseNames[j]) == null) {
                    violations.add(feature(i, denseNames[j]), "required", "the model needs this dense input");
                }
            }
            for (int c = 0; c < nc; c++) {
                Object v = features.get(categoricalNames[c]);
                if (v != null) {
                    String text = categorical(v, feature(i, categoricalNames[c]), violations);
                    if (text != null) {
                        int row = rowOf(c, text);
                        categorical[i * nc + c] = row;
                        if (row == 0) {
                            oovByFeature[c]++;
                        }
                    }
                } else if (hasContextRow[c]) {
                    categorical[i * nc + c] = contextRow[c];
                    if (contextRow[c] == 0) {
                        contextOov[c] = true;
                    }
                } else if (context.get(categoricalNames[c]) == null) {
                    violations.add(
                            feature(i, categoricalNames[c]), "required", "the model needs this categorical input");
                }
            }
            Double length = candidate.videoLength();
            if (length == null) {
                if (needsLength) {
                    violations.add(
                            "candidates[" + i + "].videoLength",
                            "required",
                            "the scoring's length transform needs the video length, in seconds");
                }
            } else if (!(length >= 0) || length.isInfinite()) {
                violations.add(
                        "candidates[" + i + "].videoLength", "min", "must be a finite number of seconds, at least 0");
            } else {
                lengths[i] = length;
            }
        }
        int oov = 0;
        for (int c = 0; c < nc; c++) {
            if (contextOov[c]) {
                oovByFeature[c]++;
            }
            oov += oovByFeature[c];
        }
        MtlDataset rows = new MtlDataset(n, nd, dense, nc, categorical, tasks, new float[n * tasks], null);
        return new Encoded(rows, oov, oovByFeature, lengths);
    }

    private float standardised(float raw, int j) {
        // the same arithmetic as PreprocessingState.transform, so serving and evaluation agree to the bit
        return (float) ((raw - means[j]) / stds[j]);
    }

    private static String feature(int candidate, String name) {
        return "candidates[" + candidate + "].features." + name;
    }

    /** Stores a dense value at {@code out[at]}, or reports it; true when stored. */
    private static boolean dense(Object v, String field, float[] out, int at, Violations violations) {
        if (v instanceof Number number
                && !(v instanceof BigDecimal big && big.abs().compareTo(MAX_FLOAT) > 0)) {
            float f = number.floatValue();
            if (Float.isFinite(f)) {
                out[at] = f;
                return true;
            }
        }
        violations.add(field, "type", "must be a finite JSON number");
        return false;
    }

    private static final BigDecimal MAX_FLOAT = new BigDecimal(Float.MAX_VALUE);

    /** The text under which the training data knew a categorical value, or null after reporting it. */
    static String categorical(Object v, String field, Violations violations) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof String text) {
            return text;
        }
        boolean finite =
                !(v instanceof Double d && !Double.isFinite(d)) && !(v instanceof Float f && !Float.isFinite(f));
        if (finite && (v instanceof Double || v instanceof Float || v instanceof BigDecimal)) {
            BigDecimal d = v instanceof BigDecimal big ? big : BigDecimal.valueOf(((Number) v).doubleValue());
            try {
                return d.toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                // a fraction: reported below
            }
        }
        violations.add(field, "type", "must be an integer (or the value's text)");
        return null;
    }
}
