package io.fulcrum.mtl.loss;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;

/**
 * The JSON form of a loss-weight schedule, e.g. {"type": "exponential", "initial": [1, 1],
 * "gamma": [0.9, 0.95], "unit": "epoch"}. Per-task arrays must have one entry per task.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LossWeightSpec.Constant.class, name = "constant"),
    @JsonSubTypes.Type(value = LossWeightSpec.Exponential.class, name = "exponential"),
    @JsonSubTypes.Type(value = LossWeightSpec.Warmup.class, name = "warmup"),
    @JsonSubTypes.Type(value = LossWeightSpec.Piecewise.class, name = "piecewise"),
    @JsonSubTypes.Type(value = LossWeightSpec.Dwa.class, name = "dwa"),
    @JsonSubTypes.Type(value = LossWeightSpec.Uncertainty.class, name = "uncertainty")
})
public sealed interface LossWeightSpec {

    /** Builds the schedule; {@code manager} owns any learned state and must outlive training. */
    LossWeightSchedule create(List<TaskType> tasks, NDManager manager);

    /** Equal weights 1 when {@code weights} is absent. */
    record Constant(float[] weights) implements LossWeightSpec {
        @Override
        public LossWeightSchedule create(List<TaskType> tasks, NDManager manager) {
            return new ConstantWeights(weights == null ? ones(tasks.size()) : sized("weights", weights, tasks));
        }
    }

    /** ω_{k,0} · γ_k^t. */
    record Exponential(float[] initial, float[] gamma, ScheduleUnit unit) implements LossWeightSpec {
        @Override
        public LossWeightSchedule create(List<TaskType> tasks, NDManager manager) {
            return new ExponentialDecayWeights(
                    initial == null ? ones(tasks.size()) : sized("initial", initial, tasks),
                    sized("gamma", gamma, tasks),
                    unit == null ? ScheduleUnit.EPOCH : unit);
        }
    }

    record Warmup(float[] start, float[] target, long length, ScheduleUnit unit) implements LossWeightSpec {
        @Override
        public LossWeightSchedule create(List<TaskType> tasks, NDManager manager) {
            return new LinearWarmupWeights(
                    start == null ? new float[tasks.size()] : sized("start", start, tasks),
                    target == null ? ones(tasks.size()) : sized("target", target, tasks),
                    length,
                    unit == null ? ScheduleUnit.STEP : unit);
        }
    }

    record Piecewise(long[] boundaries, float[][] values, ScheduleUnit unit) implements LossWeightSpec {
        @Override
        public LossWeightSchedule create(List<TaskType> tasks, NDManager manager) {
            if (boundaries == null || values == null || values.length != boundaries.length + 1) {
                throw new IllegalArgumentException("values: need exactly one more entry than boundaries");
            }
            for (float[] v : values) {
                sized("values[]", v, tasks);
            }
            return new PiecewiseConstantWeights(boundaries, values, unit == null ? ScheduleUnit.EPOCH : unit);
        }
    }

    record Dwa(Double temperature) implements LossWeightSpec {
        @Override
        public LossWeightSchedule create(List<TaskType> tasks, NDManager manager) {
            return new DynamicWeightAverage(tasks.size(), temperature == null ? 2.0 : temperature);
        }
    }

    record Uncertainty(Float initialLogVariance) implements LossWeightSpec {
        @Override
        public LossWeightSchedule create(List<TaskType> tasks, NDManager manager) {
            return new UncertaintyWeighting(manager, tasks, initialLogVariance == null ? 0f : initialLogVariance);
        }
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    private static float[] sized(String field, float[] values, List<TaskType> tasks) {
        if (values == null || values.length != tasks.size()) {
            throw new IllegalArgumentException(field + ": need one value per task (" + tasks.size() + ")");
        }
        return values;
    }
}
