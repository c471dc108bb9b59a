package io.fulcrum.mtl.loss;

/** values[i] applies from boundaries[i−1] (inclusive) to boundaries[i] (exclusive). */
public final class PiecewiseConstantWeights implements LossWeightSchedule {

    private final long[] boundaries;
    private final float[][] values;
    private final ScheduleUnit unit;

    public PiecewiseConstantWeights(long[] boundaries, float[][] values, ScheduleUnit unit) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("values: need one more entry than boundaries");
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
        this.unit = unit;
    }

    @Override
    public float[] weights(TrainingClock clock) {
        long t = unit.of(clock);
        int piece = 0;
        while (piece < boundaries.length && t >= boundaries[piece]) {
            piece++;
        }
        return values[piece].clone();
    }
}
