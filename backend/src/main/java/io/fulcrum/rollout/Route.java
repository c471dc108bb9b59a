package io.fulcrum.rollout;

/**
 * What serves one user's request on a surface: a model version and its scoring, and the experiment
 * and variant it belongs to ({@code experimentId} and {@code variant} null on the champion route).
 */
public record Route(
        long surfaceId,
        String surface,
        Long experimentId,
        String variant,
        String modelName,
        int modelVersion,
        ScoringSpec scoring) {

    public boolean champion() {
        return experimentId == null;
    }
}
