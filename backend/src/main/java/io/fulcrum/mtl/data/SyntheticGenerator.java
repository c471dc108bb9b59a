package io.fulcrum.mtl.data;

import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The MMoE paper's synthetic task pair with controlled correlation (brief §7):
 * y_t = w_tᵀx + Σ_i sin(α_i·w_tᵀx + β_i) + ε_t with w1 = c·u1, w2 = c·(p·u1 + sqrt(1−p²)·u2).
 * Row r is drawn from its own seeded stream, so any range of rows can be produced batch by batch
 * without generating (or holding) the rows before it.
 */
public final class SyntheticGenerator {

    /** p, c, m, d, noise std and seed; PLE's constants are c = 1, m = 10, d = 512, noise std 0.1. */
    public record Settings(double correlation, double scale, int sinTerms, int dimension, double noiseStd, long seed) {
        public Settings {
            if (correlation < -1 || correlation > 1) {
                throw new IllegalArgumentException("correlation: must be in [-1, 1], got " + correlation);
            }
            if (dimension < 2) {
                throw new IllegalArgumentException("dimension: must be >= 2, got " + dimension);
            }
            if (sinTerms < 0 || noiseStd < 0) {
                throw new IllegalArgumentException("sinTerms and noiseStd: must be >= 0");
            }
        }

        public static Settings paper(double correlation, int dimension, long seed) {
            return new Settings(correlation, 1.0, 10, dimension, 0.1, seed);
        }
    }

    /** Generated samples with the Pearson correlation their two labels actually have. */
    public record SyntheticData(MtlDataset data, double labelCorrelation) {}

    private final Settings settings;
    private final float[] w1;
    private final float[] w2;
    private final double[] alpha;
    private final double[] beta;

    public SyntheticGenerator(Settings settings) {
        this.settings = settings;
        int d = settings.dimension();
        Random random = new Random(settings.seed());
        double[] u1 = unit(gaussian(random, d));
        double[] u2 = gaussian(random, d);
        double dot = 0;
        for (int i = 0; i < d; i++) {
            dot += u1[i] * u2[i];
        }
        for (int i = 0; i < d; i++) {
            u2[i] -= dot * u1[i]; // Gram-Schmidt: u2 orthogonal to u1
        }
        u2 = unit(u2);
        double p = settings.correlation();
        double q = Math.sqrt(1 - p * p);
        w1 = new float[d];
        w2 = new float[d];
        for (int i = 0; i < d; i++) {
            w1[i] = (float) (settings.scale() * u1[i]);
            w2[i] = (float) (settings.scale() * (p * u1[i] + q * u2[i]));
        }
        alpha = gaussian(random, settings.sinTerms());
        beta = gaussian(random, settings.sinTerms());
    }

    public Settings settings() {
        return settings;
    }

    /** Feature names x0 … x{d−1} and the regression tasks y1, y2. */
    public ModelSpec.Inputs inputs() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < settings.dimension(); i++) {
            names.add("x" + i);
        }
        return new ModelSpec.Inputs(names, List.of());
    }

    public static List<ModelSpec.TaskSpec> tasks() {
        return List.of(
                new ModelSpec.TaskSpec("y1", TaskType.REGRESSION), new ModelSpec.TaskSpec("y2", TaskType.REGRESSION));
    }

    /** Rows [firstRow, firstRow + count) with the Pearson correlation of their labels. */
    public SyntheticData generate(long firstRow, int count) {
        MtlDataset data = rows(firstRow, count);
        return new SyntheticData(data, Pearson.ofLabels(data, 0, 1));
    }

    /** Rows [firstRow, firstRow + count) as consecutive batches, each generated only when asked for. */
    public Iterator<MtlDataset> batches(long firstRow, long count, int batchSize) {
        return new Iterator<>() {
            private long next = firstRow;

            @Override
            public boolean hasNext() {
                return next < firstRow + count;
            }

            @Override
            public MtlDataset next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = (int) Math.min(batchSize, firstRow + count - next);
                MtlDataset batch = rows(next, n);
                next += n;
                return batch;
            }
        };
    }

    private MtlDataset rows(long firstRow, int count) {
        int d = settings.dimension();
        float[] x = new float[count * d];
        float[] y = new float[count * 2];
        for (int r = 0; r < count; r++) {
            SplittableRandom random = new SplittableRandom(mix(settings.seed(), firstRow + r));
            double a = 0;
            double b = 0;
            for (int i = 0; i < d; i++) {
                float v = (float) random.nextGaussian();
                x[r * d + i] = v;
                a += w1[i] * v;
                b += w2[i] * v;
            }
            y[r * 2] = (float) (label(a) + settings.noiseStd() * random.nextGaussian());
            y[r * 2 + 1] = (float) (label(b) + settings.noiseStd() * random.nextGaussian());
        }
        return new MtlDataset(count, d, x, 0, null, 2, y, null);
    }

    private double label(double projection) {
        double y = projection;
        for (int i = 0; i < alpha.length; i++) {
            y += Math.sin(alpha[i] * projection + beta[i]);
        }
        return y;
    }

    private static long mix(long seed, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + row;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double value : v) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
        return v;
    }
}
