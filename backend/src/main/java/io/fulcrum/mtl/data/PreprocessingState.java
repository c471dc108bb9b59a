package io.fulcrum.mtl.data;

import io.fulcrum.mtl.model.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What training learned about the raw inputs and serving must repeat: mean and standard deviation of
 * every dense column and, per categorical column, the known values (value i ↦ embedding row i + 1; any
 * other value ↦ row 0, the out-of-vocabulary row). Saved with every checkpoint.
 */
public record PreprocessingState(List<String> dense, double[] means, double[] stds, List<Vocabulary> vocabularies) {

    /** Known values of one categorical column, most frequent first. */
    public record Vocabulary(String name, long[] values) {}

    /** Fits on the training samples: standardisation and the vocabularySize most frequent values. */
    public static PreprocessingState fit(ModelSpec.Inputs inputs, MtlDataset train) {
        int nd = inputs.dense().size();
        double[] means = new double[nd];
        double[] stds = new double[nd];
        float[] d = train.dense();
        int n = train.size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nd; j++) {
                means[j] += d[i * nd + j];
            }
        }
        for (int j = 0; j < nd; j++) {
            means[j] /= Math.max(n, 1);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nd; j++) {
                double diff = d[i * nd + j] - means[j];
                stds[j] += diff * diff;
            }
        }
        for (int j = 0; j < nd; j++) {
            double std = Math.sqrt(stds[j] / Math.max(n, 1));
            stds[j] = std > 1e-12 ? std : 1.0; // a constant column stays constant instead of dividing by 0
        }
        List<Vocabulary> vocabularies = new ArrayList<>();
        int nc = inputs.categorical().size();
        for (int c = 0; c < nc; c++) {
            Map<Long, Integer> counts = new HashMap<>();
            for (int i = 0; i < n; i++) {
                counts.merge(train.categorical()[i * nc + c], 1, Integer::sum);
            }
            ModelSpec.CategoricalFeature feature = inputs.categorical().get(c);
            long[] values = counts.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<Long, Integer>>comparingInt(Map.Entry::getValue)
                            .reversed()
                            .thenComparing(Map.Entry::getKey))
                    .limit(feature.vocabularySize())
                    .mapToLong(Map.Entry::getKey)
                    .toArray();
            vocabularies.add(new Vocabulary(feature.name(), values));
        }
        return new PreprocessingState(List.copyOf(inputs.dense()), means, stds, vocabularies);
    }

    /**
     * Identity preprocessing for inputs that are already encoded: dense values unchanged, categorical
     * value v in 1..vocabularySize kept as row v, anything else to the out-of-vocabulary row 0.
     */
    public static PreprocessingState identity(ModelSpec.Inputs inputs) {
        int nd = inputs.dense().size();
        double[] ones = new double[nd];
        java.util.Arrays.fill(ones, 1.0);
        List<Vocabulary> vocabularies = inputs.categorical().stream()
                .map(c -> new Vocabulary(
                        c.name(),
                        java.util.stream.LongStream.rangeClosed(1, c.vocabularySize())
                                .toArray()))
                .toList();
        return new PreprocessingState(List.copyOf(inputs.dense()), new double[nd], ones, vocabularies);
    }

    /** Applies the state to raw samples: standardised dense values and embedding row indices. */
    public MtlDataset transform(MtlDataset raw) {
        int nd = dense.size();
        float[] in = raw.dense();
        float[] out = new float[in.length];
        for (int i = 0; i < raw.size(); i++) {
            for (int j = 0; j < nd; j++) {
                out[i * nd + j] = (float) ((in[i * nd + j] - means[j]) / stds[j]);
            }
        }
        int nc = vocabularies.size();
        long[] ids = new long[raw.categorical().length];
        for (int c = 0; c < nc; c++) {
            Map<Long, Long> index = new HashMap<>();
            long[] values = vocabularies.get(c).values();
            for (int v = 0; v < values.length; v++) {
                index.put(values[v], v + 1L);
            }
            for (int i = 0; i < raw.size(); i++) {
                ids[i * nc + c] = index.getOrDefault(raw.categorical()[i * nc + c], 0L);
            }
        }
        return raw.withFeatures(out, ids);
    }
}
