package io.fulcrum.mtl.metric;

/**
 * MTL gain of a model on one task against the single-task model (brief §1, Eq. 11):
 * M_q − M_single for higher-is-better metrics, M_single − M_q for lower-is-better ones, so a positive
 * gain always means the multi-task model is better.
 */
public final class MtlGain {

    private MtlGain() {}

    public static double of(double multiTask, double singleTask, boolean higherIsBetter) {
        return higherIsBetter ? multiTask - singleTask : singleTask - multiTask;
    }

    public static double of(TaskMetrics multiTask, TaskMetrics singleTask) {
        return of(multiTask.primary(), singleTask.primary(), multiTask.higherIsBetter());
    }
}
