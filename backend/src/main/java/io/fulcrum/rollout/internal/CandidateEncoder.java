package io.fulcrum.rollout.internal;

import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.ModelSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
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
public final class CandidateEncoder {

    private final int tasks;
    private final String[] denseNames;
    private final double[] means;
    private final double[] stds;
    private final String[] categoricalNames;
    private final List<Map<String, Integer>> rowsByText = new ArrayList<>();
    private final List<LongIntMap> rowsByNumber = new ArrayList<>();

    /**
     * @param values per categorical input, the text of each value by the id the preprocessing lists
     *     it under (the training dataset's vocabulary)
     */
    public CandidateEncoder(ModelSpec spec, PreprocessingState preprocessing, Map<String, List<String>> values) {
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
        for (int c = 0; c < categoricalNames.length; c++) {
            PreprocessingState.Vocabulary vocabulary =
                    preprocessing.vocabularies().get(c);
            if (!vocabulary.name().equals(categoricalNames[c])) {
                throw new IllegalStateException("the preprocessing's categorical columns differ from the model's");
            }
            List<String> text = values.get(categoricalNames[c]);
            long[] ids = vocabulary.values();
            Map<String, Integer> byText = new HashMap<>(ids.length * 2);
            LongIntMap byNumber = new LongIntMap(ids.length);
            for (int r = 0; r < ids.length; r++) {
                if (text != null && (ids[r] < 0 || ids[r] >= text.size())) {
                    throw new IllegalStateException("the dataset has no value " + ids[r] + " in column "
                            + categoricalNames[c] + " that the model was trained with");
                }
                // without the dataset's text, the preprocessing's ids are taken as the values themselves
                String value = text == null ? Long.toString(ids[r]) : text.get((int) ids[r]);
                byText.put(value, r + 1);
                Long number = canonicalLong(value);
                if (number != null) {
                    byNumber.put(number, r + 1);
                }
            }
            rowsByText.add(byText);
            rowsByNumber.add(byNumber);
        }
    }

    /** The number a text is the canonical decimal form of ("7", "-3"; not "07" or "7.0"), else null. */
    private static Long canonicalLong(String text) {
        try {
            long n = Long.parseLong(text);
            return Long.toString(n).equals(text) ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public String[] categoricalNames() {
        return categoricalNames;
    }

    /** Entries of the version's categorical vocabularies: what the loaded version holds besides parameters. */
    public long vocabularyEntries() {
        long entries = 0;
        for (int c = 0; c < categoricalNames.length; c++) {
            entries += rowsByText.get(c).size() + rowsByNumber.get(c).size();
        }
        return entries;
    }

    /** Encoded rows of every candidate, the OOV count, and each candidate's length, or violations. */
    public record Encoded(MtlDataset rows, int oovValues, int[] oovByFeature, double[] lengths) {}

    public Encoded encode(RankRequest request, boolean needsLength, Violations violations) {
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
                hasContextDense[j] = dense(v, CONTEXT, denseNames[j], contextDense, j, violations);
            }
        }
        long[] contextRow = new long[nc];
        boolean[] hasContextRow = new boolean[nc];
        boolean[] contextOov = new boolean[nc];
        for (int c = 0; c < nc; c++) {
            Object v = context.get(categoricalNames[c]);
            if (v != null) {
                int row = row(c, v, CONTEXT, violations);
                if (row >= 0) {
                    contextRow[c] = row;
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
                    if (dense(v, i, denseNames[j], dense, i * nd + j, violations)) {
                        dense[i * nd + j] = standardised(dense[i * nd + j], j);
                    }
                } else if (hasContextDense[j]) {
                    dense[i * nd + j] = standardised(contextDense[j], j);
                } else if (context.get(denseNames[j]) == null) {
                    violations.add(path(i, denseNames[j]), "required", "the model needs this dense input");
                }
            }
            for (int c = 0; c < nc; c++) {
                Object v = features.get(categoricalNames[c]);
                if (v != null) {
                    int row = row(c, v, i, violations);
                    if (row >= 0) {
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
                    violations.add(path(i, categoricalNames[c]), "required", "the model needs this categorical input");
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

    private static final int CONTEXT = -1;

    /** Where the client wrote a feature: built only for a violation, never per value. */
    private static String path(int candidate, String name) {
        return candidate == CONTEXT ? "context." + name : "candidates[" + candidate + "].features." + name;
    }

    /** Stores a dense value at {@code out[at]}, or reports it; true when stored. */
    private static boolean dense(Object v, int candidate, String name, float[] out, int at, Violations violations) {
        if (v instanceof Number number
                && !(v instanceof BigDecimal big && big.abs().compareTo(MAX_FLOAT) > 0)) {
            float f = number.floatValue();
            if (Float.isFinite(f)) {
                out[at] = f;
                return true;
            }
        }
        violations.add(path(candidate, name), "type", "must be a finite JSON number");
        return false;
    }

    private static final BigDecimal MAX_FLOAT = new BigDecimal(Float.MAX_VALUE);

    /**
     * The embedding row of categorical input {@code c}'s value as the client sent it (0: out of
     * vocabulary), or -1 after reporting a value that is no integer and no text.
     */
    private int row(int c, Object v, int candidate, Violations violations) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return rowsByNumber.get(c).get(((Number) v).longValue(), 0);
        }
        if (v instanceof String text) {
            return rowsByText.get(c).getOrDefault(text, 0);
        }
        BigInteger integral = integral(v);
        if (integral != null) {
            return integral.bitLength() < 64
                    ? rowsByNumber.get(c).get(integral.longValue(), 0)
                    : rowsByText.get(c).getOrDefault(integral.toString(), 0);
        }
        violations.add(path(candidate, categoricalNames[c]), "type", "must be an integer (or the value's text)");
        return -1;
    }

    /** A number without a fraction as an integer (3.0 is 3), else null. */
    private static BigInteger integral(Object v) {
        if (v instanceof BigInteger big) {
            return big;
        }
        boolean finite =
                !(v instanceof Double d && !Double.isFinite(d)) && !(v instanceof Float f && !Float.isFinite(f));
        if (finite && (v instanceof Double || v instanceof Float || v instanceof BigDecimal)) {
            BigDecimal d = v instanceof BigDecimal big ? big : BigDecimal.valueOf(((Number) v).doubleValue());
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                return null; // a fraction
            }
        }
        return null;
    }
}
