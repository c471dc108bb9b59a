package io.fulcrum.mtl.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/** ω_k(t): how the per-task losses are combined into the joint loss at each step. */
public interface LossWeightSchedule {

    /** The weights for the step at {@code clock}, as they will be reported. */
    float[] weights(TrainingClock clock);

    /** The joint loss from the (K) per-task losses; by default Σ_k ω_k(t) · L_k. */
    default NDArray combine(NDArray taskLosses, TrainingClock clock) {
        NDArray w = taskLosses.getManager().create(weights(clock));
        return taskLosses.mul(w).sum();
    }

    /** Called after each epoch with the mean training loss of each task (used by DWA). */
    default void endEpoch(double[] meanTaskLosses) {}

    /** Arrays the optimizer must also train (uncertainty weighting's log-variances). */
    default List<NDArray> trainableArrays() {
        return List.of();
    }

    /**
     * What the schedule has remembered or learned so far (named arrays), so that training resumed from an
     * epoch checkpoint weighs the tasks exactly as the uninterrupted run would; empty when it keeps nothing.
     */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /** Puts back what {@link #state()} returned, on a schedule created from the same spec. */
    default void restoreState(Map<String, double[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("lossWeights: this schedule keeps no state, got " + state.keySet());
        }
    }
}
