package io.fulcrum.dataset;

import io.fulcrum.mtl.data.SyntheticGenerator;

/**
 * A SYNTHETIC dataset: the MMoE paper's two-task recipe (brief §7). {@code correlation} and
 * {@code samples} are required; the rest default to PLE's constants (d = 512, c = 1, m = 10, noise std
 * 0.1) and seed 1.
 */
public record SyntheticDatasetSpec(
        Double correlation,
        Long samples,
        Integer dimension,
        Long seed,
        Double scale,
        Integer sinTerms,
        Double noiseStd) {

    public static final long MAX_SAMPLES = 10_000_000L;

    public SyntheticDatasetSpec {
        dimension = dimension == null ? 512 : dimension;
        seed = seed == null ? 1L : seed;
        scale = scale == null ? 1.0 : scale;
        sinTerms = sinTerms == null ? 10 : sinTerms;
        noiseStd = noiseStd == null ? 0.1 : noiseStd;
    }

    SyntheticGenerator.Settings settings() {
        return new SyntheticGenerator.Settings(correlation, scale, sinTerms, dimension, noiseStd, seed);
    }
}
