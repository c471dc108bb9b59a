package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Glorot/Xavier uniform with explicit fans: DJL's Xavier derives fans from the shape, which is wrong
 * for stacked expert weights (E, in, out) where E is a batch of independent matrices.
 */
final class GlorotUniform implements Initializer {

    private final float limit;

    GlorotUniform(long fanIn, long fanOut) {
        this.limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomUniform(-limit, limit, shape, dataType);
    }
}
