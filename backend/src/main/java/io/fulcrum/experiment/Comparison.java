package io.fulcrum.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fulcrum.mtl.metric.SeesawVerdict;
import io.fulcrum.mtl.metric.TaskCall;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * A study's comparison: per model, each task's test metric (mean ± std over seeds), its MTL gain
 * paired with the single-task baseline of the same seed (mean, std, 95% t interval and the call it
 * makes), the seesaw verdict, the parameter count and the training time. Everything the MTL-gain table
 * and the seesaw bubble chart draw.
 */
@Schema(name = "StudyComparison")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Comparison(
        long studyId,

        @Schema(description = "True once every run of the study has finished")
        boolean complete,

        @Schema(
                description = "The tolerance when it was given as one absolute number for every metric (the"
                        + " default 0); absent for per-metric or relative tolerances, see toleranceSpec")
        Double tolerance,

        @Schema(
                description = "The tolerance as given: one value for every metric or metric=value pairs,"
                        + " a value absolute or relative to the baseline's mean (p%), e.g. auc=0.001,mse=1%",
                example = "auc=0.001,mse=1%")
        String toleranceSpec,

        @Schema(description = "Per task: the task group's metric and whether higher is better")
        Map<String, TaskMetric> metrics,

        List<ModelRow> models) {

    public record TaskMetric(String metric, boolean higherIsBetter) {}

    /** Mean and sample standard deviation over seeds. */
    public record Stat(double mean, double std, int n) {}

    /** A confidence interval. */
    public record Interval(double low, double high) {}

    /** The gain over paired seeds: mean, sample standard deviation, seeds, and the 95% t interval. */
    public record Gain(
            double mean,
            double std,
            int n,

            @Schema(
                    description = "95% confidence interval of the mean gain (Student t, n − 1 degrees of freedom);"
                            + " null with one seed",
                    nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS)
            Interval ci) {}

    /** One seed's value of the metric, and the gain against the baseline of that seed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SeedValue(
            long seed,
            double value,
            @Schema(description = "Absent for the baseline") Double gain) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskRow(
            String metric,
            Stat value,
            @Schema(description = "Absent for the baseline") Gain gain,

            @Schema(
                    description = "BETTER when the gain's interval lies above +tolerance, WORSE when below"
                            + " −tolerance, NO_CHANGE otherwise (and with one seed), UNDEFINED when the metric is"
                            + " undefined on some seed (the verdict is then INCONCLUSIVE); absent for the baseline")
            TaskCall call,

            @Schema(description = "The absolute tolerance band used for this task's call; absent for the baseline")
            Double tolerance,

            @Schema(description = "Per seed that counts (paired with a finished baseline), in seed order")
            List<SeedValue> seeds) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelRow(
            String model,
            String architecture,

            @Schema(description = "Seeds whose run (and baseline) succeeded")
            int seedsDone,

            int seedsTotal,
            Map<String, TaskRow> tasks,

            @Schema(
                    description = "From the per-task calls: POSITIVE (some task better, none worse), SEESAW (some"
                            + " better, some worse), NEGATIVE_TRANSFER (none better, some worse), NEUTRAL (none"
                            + " either), INCONCLUSIVE below 3 seeds done; absent for the baseline and while no"
                            + " seed is done")
            SeesawVerdict verdict,

            long parameters,
            Stat trainSeconds) {}
}
