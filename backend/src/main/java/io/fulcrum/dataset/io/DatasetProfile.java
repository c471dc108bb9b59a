package io.fulcrum.dataset.io;

import io.fulcrum.simulator.TaskConflict;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What an engineer reads before training to predict negative transfer: per column the missing share,
 * cardinality and moments; per label its rate (binary) or mean; between labels their correlation and,
 * for binary labels, how much their positive sets overlap (the raw material of sample spaces).
 */
public record DatasetProfile(
        long rows,
        long[] splitRows,
        List<ColumnProfile> columns,
        List<LabelProfile> labels,
        List<LabelPair> labelPairs,
        List<TaskConflict> taskConflict) {

    /**
     * A profile without ground truth (a file or synthetic dataset, or one profiled before task
     * conflict was measured).
     */
    public DatasetProfile(
            long rows,
            long[] splitRows,
            List<ColumnProfile> columns,
            List<LabelProfile> labels,
            List<LabelPair> labelPairs) {
        this(rows, splitRows, columns, labels, labelPairs, null);
    }

    /**
     * The profile with the labels' conflict measured from the world's ground truth, for a dataset a
     * simulator drew ({@link TaskConflict}: what the labels' correlation above cannot say, since it
     * mixes the truth with the draw's noise).
     */
    public DatasetProfile withTaskConflict(List<TaskConflict> conflict) {
        return new DatasetProfile(rows, splitRows, columns, labels, labelPairs, conflict);
    }

    public record ColumnProfile(
            String name, ColumnRole role, double missingShare, Integer cardinality, Double mean, Double std) {}

    /** @param rate the share of 1s for a binary label; null otherwise */
    public record LabelProfile(String name, boolean binary, Double rate, double mean, double std) {}

    /**
     * @param correlation Pearson correlation of the two labels over all rows
     * @param positiveOverlap for two binary labels, |a=1 ∧ b=1| / |a=1 ∨ b=1|; null otherwise
     * @param rateOfBGivenA for two binary labels, P(b=1 | a=1); null otherwise
     */
    public record LabelPair(String a, String b, double correlation, Double positiveOverlap, Double rateOfBGivenA) {}

    public static DatasetProfile of(ColumnarCache cache) throws IOException {
        CacheMeta meta = cache.meta();
        List<ColumnProfile> columns = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        for (CacheMeta.CachedColumn column : meta.columns()) {
            boolean numeric = !column.categorical();
            columns.add(new ColumnProfile(
                    column.name(),
                    column.role(),
                    meta.rows() == 0 ? 0 : (double) column.missing() / meta.rows(),
                    numeric ? null : column.vocabularySize(),
                    numeric ? finiteOrNull(column.mean()) : null,
                    numeric ? finiteOrNull(column.std()) : null));
            if (column.role() == ColumnRole.LABEL) {
                labelNames.add(column.name());
            }
        }
        List<float[]> labelValues = new ArrayList<>();
        List<LabelProfile> labels = new ArrayList<>();
        for (String name : labelNames) {
            float[] values = toArray(cache.floats(name));
            labelValues.add(values);
            boolean binary = isBinary(values);
            CacheMeta.CachedColumn column = cache.column(name);
            labels.add(new LabelProfile(name, binary, binary ? column.mean() : null, column.mean(), column.std()));
        }
        List<LabelPair> pairs = new ArrayList<>();
        for (int i = 0; i < labelNames.size(); i++) {
            for (int j = i + 1; j < labelNames.size(); j++) {
                pairs.add(pair(
                        labelNames.get(i),
                        labelValues.get(i),
                        labels.get(i).binary(),
                        labelNames.get(j),
                        labelValues.get(j),
                        labels.get(j).binary()));
            }
        }
        return new DatasetProfile(meta.rows(), meta.splitRows().clone(), columns, labels, pairs);
    }

    private static LabelPair pair(String a, float[] x, boolean aBinary, String b, float[] y, boolean bBinary) {
        double correlation = pearson(x, y);
        if (!aBinary || !bBinary) {
            return new LabelPair(a, b, correlation, null, null);
        }
        long both = 0;
        long either = 0;
        long aPositive = 0;
        for (int i = 0; i < x.length; i++) {
            boolean p = x[i] == 1f;
            boolean q = y[i] == 1f;
            both += p && q ? 1 : 0;
            either += p || q ? 1 : 0;
            aPositive += p ? 1 : 0;
        }
        return new LabelPair(
                a,
                b,
                correlation,
                either == 0 ? 0.0 : (double) both / either,
                aPositive == 0 ? 0.0 : (double) both / aPositive);
    }

    /** Over the rows where both labels are present (a regression label may be missing outside its space). */
    static double pearson(float[] x, float[] y) {
        long n = 0;
        double meanX = 0;
        double meanY = 0;
        double covariance = 0;
        double varianceX = 0;
        double varianceY = 0;
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i]) || Float.isNaN(y[i])) {
                continue;
            }
            n++;
            double dx = x[i] - meanX;
            meanX += dx / n;
            double dy = y[i] - meanY;
            meanY += dy / n;
            covariance += dx * (y[i] - meanY);
            varianceX += dx * (x[i] - meanX);
            varianceY += dy * (y[i] - meanY);
        }
        return varianceX == 0 || varianceY == 0 ? 0 : covariance / Math.sqrt(varianceX * varianceY);
    }

    private static boolean isBinary(float[] values) {
        for (float value : values) {
            if (value != 0f && value != 1f) {
                return false;
            }
        }
        return true;
    }

    private static float[] toArray(FloatBuffer buffer) {
        float[] values = new float[buffer.limit()];
        buffer.get(0, values);
        return values;
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
