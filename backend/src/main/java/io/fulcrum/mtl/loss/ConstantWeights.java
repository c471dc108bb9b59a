package io.fulcrum.mtl.loss;

/** Fixed ω_k. */
public final class ConstantWeights implements LossWeightSchedule {

    private final float[] weights;

    public ConstantWeights(float[] weights) {
        this.weights = weights.clone();
    }

    @Override
    public float[] weights(TrainingClock clock) {
        return weights.clone();
    }
}
