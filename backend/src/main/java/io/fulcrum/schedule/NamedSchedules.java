package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schedules offered to every new installation. Only specs that fit any number of tasks: the
 * paper's per-task decay (ω_{k,0}·γ_k^t) needs one γ per task, so it is each task group's default
 * schedule ({@link LossWeightSchedules#defaultFor}) rather than a named one.
 */
final class NamedSchedules {

    private NamedSchedules() {}

    static List<ScheduleRequest> seeds(JsonMapper json) {
        return List.of(
                new ScheduleRequest(
                        "equal",
                        "Every task weighs 1 throughout training: the joint loss is Σ_k L_k.",
                        json.valueToTree(new LossWeightSpec.Constant(null))),
                new ScheduleRequest(
                        "dwa",
                        "Dynamic Weight Average (Liu et al., CVPR 2019) with temperature 2: from epoch 2 on, a task"
                                + " whose loss falls slower than the others' gets more weight.",
                        json.valueToTree(new LossWeightSpec.Dwa(2.0))),
                new ScheduleRequest(
                        "uncertainty",
                        "Uncertainty weighting (Kendall et al., CVPR 2018): each task's weight exp(−s_k) is learned"
                                + " with the model, starting from s_k = 0.",
                        json.valueToTree(new LossWeightSpec.Uncertainty(0f))));
    }
}
