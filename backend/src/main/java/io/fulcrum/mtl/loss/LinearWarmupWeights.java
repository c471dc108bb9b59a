package io.fulcrum.mtl.loss;

/** Moves linearly from {@code start} to {@code target} over {@code length} units, then stays at target. */
public final class LinearWarmupWeights implements LossWeightSchedule {

    private final float[] start;
    private final float[] target;
    private final long length;
    private final ScheduleUnit unit;

    public LinearWarmupWeights(float[] start, float[] target, long length, ScheduleUnit unit) {
        this.start = start.clone();
        this.target = target.clone();
        this.length = length;
        this.unit = unit;
    }

    @Override
    public float[] weights(TrainingClock clock) {
        double f = length <= 0 ? 1.0 : Math.min(1.0, (double) unit.of(clock) / length);
        float[] w = new float[target.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) (start[k] + f * (target[k] - start[k]));
        }
        return w;
    }
}
