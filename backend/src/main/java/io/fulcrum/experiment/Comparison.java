package io.fulcrum.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fulcrum.mtl.metric.SeesawVerdict;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * A study's comparison: per model, each task's test metric (mean ± std over seeds), its MTL gain
 * against the single-task baseline of the same seed, the seesaw verdict, the parameter count and the
 * training time. Everything the MTL-gain table and the seesaw bubble chart draw.
 */
@Schema(name = "StudyComparison")
public record Comparison(
        long studyId,

        @Schema(description = "True once every run of the study has finished")
        boolean complete,

        @Schema(description = "A gain counts as positive only above this")
        double tolerance,

        @Schema(description = "Per task: the task group's metric and whether higher is better")
        Map<String, TaskMetric> metrics,

        List<ModelRow> models) {

    public record TaskMetric(String metric, boolean higherIsBetter) {}

    /** Mean and sample standard deviation over seeds. */
    public record Stat(double mean, double std, int n) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskRow(
            String metric,
            Stat value,
            @Schema(description = "Absent for the baseline") Stat gain) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelRow(
            String model,
            String architecture,

            @Schema(description = "Seeds whose run (and baseline) succeeded")
            int seedsDone,

            int seedsTotal,
            Map<String, TaskRow> tasks,

            @Schema(description = "From the mean gains; absent for the baseline and while no seed is done")
            SeesawVerdict verdict,

            long parameters,
            Stat trainSeconds) {}
}
