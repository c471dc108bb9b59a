package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Starts a mixing matrix close to identity (each column keeps {@code self} of its own units and
 * spreads the rest evenly), as Misra et al. do, so the columns begin nearly independent.
 */
final class StitchInitializer implements Initializer {

    private final float self;

    StitchInitializer(float self) {
        this.self = self;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        int n = (int) shape.get(0);
        float other = n > 1 ? (1f - self) / (n - 1) : 0f;
        float[] values = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                values[i * n + j] = i == j ? (n > 1 ? self : 1f) : other;
            }
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
