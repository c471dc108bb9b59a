package io.fulcrum.rollout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a variant turns task predictions into one ranking score, the paper's weighted multiplication:
 * {@code score = Π_k p_k^{w_k} · f(videoLength)}. A task without an exponent gets 1; an exponent of 0
 * leaves the task out of the score.
 */
public record ScoringSpec(Map<String, Double> exponents, LengthTransform lengthTransform) {

    /** Predictions are floored here before the power, so a regression output ≤ 0 cannot zero or flip a score. */
    public static final double PREDICTION_FLOOR = 1e-6;

    public ScoringSpec {
        exponents = exponents == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(exponents));
        lengthTransform = lengthTransform == null ? LengthTransform.NONE : lengthTransform;
    }

    public static ScoringSpec equalWeights() {
        return new ScoringSpec(Map.of(), LengthTransform.NONE);
    }

    public double exponent(String task) {
        return exponents.getOrDefault(task, 1.0);
    }

    /**
     * Scores {@code n} candidates: {@code predictions[k][i]} is task {@code tasks.get(k)}'s prediction
     * for candidate i, {@code lengths[i]} its video length in seconds (ignored by {@code none}).
     */
    public double[] score(List<String> tasks, float[][] predictions, double[] lengths, int n) {
        double[] logScore = new double[n];
        for (int k = 0; k < tasks.size(); k++) {
            double w = exponent(tasks.get(k));
            if (w == 0) {
                continue;
            }
            float[] p = predictions[k];
            for (int i = 0; i < n; i++) {
                logScore[i] += w * Math.log(Math.max(p[i], PREDICTION_FLOOR));
            }
        }
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Math.exp(logScore[i]) * lengthTransform.apply(lengths == null ? 0 : lengths[i]);
        }
        return scores;
    }
}
