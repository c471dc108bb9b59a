package io.fulcrum.mtl;

import java.util.List;

/** Per-task predictions for a batch: values[k][i] is task k's probability (binary) or value (regression). */
public record Predictions(List<String> tasks, float[][] values) {

    public float[] of(String task) {
        int k = tasks.indexOf(task);
        if (k < 0) {
            throw new IllegalArgumentException("task: unknown '" + task + "'");
        }
        return values[k];
    }
}
