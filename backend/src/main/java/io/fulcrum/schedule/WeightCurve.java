package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.DynamicWeightAverage;
import io.fulcrum.mtl.loss.LossWeightSchedule;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.loss.ScheduleUnit;
import io.fulcrum.mtl.loss.TrainingClock;
import io.fulcrum.mtl.model.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Computes a preview with the engine's own schedules, so it shows exactly the weights training
 * uses. DWA and uncertainty weighting depend on the training losses: the preview gives the weights
 * they start with and says so in its note.
 */
final class WeightCurve {

    private WeightCurve() {}

    /** {@code scheduleId} and {@code version} are null for a spec that is not stored. */
    static SchedulePreview preview(Long scheduleId, Integer version, LossWeightSpec spec, PreviewParameters query) {
        ScheduleUnit unit = Specs.unit(spec);
        int taskCount = query.tasks().size();
        List<SchedulePreview.Point> points = new ArrayList<>();
        String note = null;
        if (spec instanceof LossWeightSpec.Dwa dwa) {
            double temperature = dwa.temperature() == null ? 2.0 : dwa.temperature();
            DynamicWeightAverage schedule = new DynamicWeightAverage(taskCount, temperature);
            for (int epoch = 0; epoch < Math.min(2, query.epochs()); epoch++) {
                points.add(new SchedulePreview.Point(epoch, schedule.weights(clockAtEpoch(epoch, query))));
            }
            note = "DWA weights follow the training losses: epochs 0 and 1 train with equal weights 1 (shown); from"
                    + " epoch 2 on ω_k = K·exp(r_k/T) / Σ_i exp(r_i/T) with r_k = L_k(t−1) / L_k(t−2) and T = "
                    + temperature + ".";
        } else if (spec instanceof LossWeightSpec.Uncertainty uncertainty) {
            float logVariance = uncertainty.initialLogVariance() == null ? 0f : uncertainty.initialLogVariance();
            float[] weights = new float[taskCount];
            Arrays.fill(weights, (float) Math.exp(-logVariance));
            points.add(new SchedulePreview.Point(0, weights));
            note = "Uncertainty weights are learned with the model: shown is where they start, exp(−s0) for a binary"
                    + " task; a regression task starts at half that (½·exp(−s0)). Then ω_k = c_k·exp(−s_k) follows"
                    + " the learned log-variance s_k.";
        } else {
            LossWeightSchedule schedule = spec.create(Collections.nCopies(taskCount, TaskType.BINARY), null);
            if (unit == ScheduleUnit.EPOCH) {
                for (int epoch = 0; epoch < query.epochs(); epoch++) {
                    points.add(new SchedulePreview.Point(epoch, schedule.weights(clockAtEpoch(epoch, query))));
                }
            } else {
                long steps = (long) query.epochs() * query.stepsPerEpoch();
                for (long step = 0; step < steps; step++) {
                    TrainingClock clock = new TrainingClock((int) (step / query.stepsPerEpoch()), step);
                    points.add(new SchedulePreview.Point(step, schedule.weights(clock)));
                }
            }
        }
        return new SchedulePreview(
                scheduleId, version, Specs.type(spec), Specs.unitName(unit), query.tasks(), points, note);
    }

    private static TrainingClock clockAtEpoch(int epoch, PreviewParameters query) {
        return new TrainingClock(epoch, (long) epoch * query.stepsPerEpoch());
    }
}
