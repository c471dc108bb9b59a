package io.fulcrum.mtl.loss;

/** The paper's dynamic weights ω_k(t) = ω_{k,0} · γ_k^t, t in epochs or steps. */
public final class ExponentialDecayWeights implements LossWeightSchedule {

    private final float[] initial;
    private final float[] gamma;
    private final ScheduleUnit unit;

    public ExponentialDecayWeights(float[] initial, float[] gamma, ScheduleUnit unit) {
        this.initial = initial.clone();
        this.gamma = gamma.clone();
        this.unit = unit;
    }

    @Override
    public float[] weights(TrainingClock clock) {
        long t = unit.of(clock);
        float[] w = new float[initial.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) (initial[k] * Math.pow(gamma[k], t));
        }
        return w;
    }
}
