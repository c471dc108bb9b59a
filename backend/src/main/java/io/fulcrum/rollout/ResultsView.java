package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An A/B experiment's results as {@code GET /api/ab-experiments/{id}/results} answers them: per
 * variant the users and metrics, every treatment against the control on every non-latency metric,
 * the sample-ratio-mismatch check and the guardrails. Undefined figures (a rate without exposures, a
 * lift against a control of 0, a variance of fewer than two users) are null, never absent.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "AbExperimentResults")
public record ResultsView(
        long experimentId,
        @Schema(example = "RUNNING") String state,
        @Schema(example = "watch_time_per_user") String targetMetric,

        @Schema(description = "Name of the control variant", example = "control")
        String control,

        Instant computedAt,
        List<Variant> variants,

        @Schema(description = "Every treatment against the control on every per-user and rate metric")
        List<Comparison> comparisons,

        SampleRatioMismatch srm,

        @Schema(description = "Every guardrail of the experiment for every treatment variant")
        List<GuardrailStatus> guardrails) {

    /** The guardrails that are breached now (none while data is short): what rolls an experiment back. */
    @JsonIgnore
    public List<GuardrailStatus> breaches() {
        return guardrails.stream().filter(GuardrailStatus::breached).toList();
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AbVariantResult")
    public record Variant(
            @Schema(example = "ple") String name,
            boolean control,
            int modelVersion,

            @Schema(description = "Distinct users with at least one exposure attributed to the variant")
            long users,

            @Schema(description = "Exposure events attributed to the variant (of those users)")
            long exposures,

            @Schema(
                    description = "The variant's share of the experiment's traffic at the current ramp step:"
                            + " its active buckets / all variants' active buckets")
            double expectedShare,

            @JsonInclude(value = JsonInclude.Include.ALWAYS, content = JsonInclude.Include.ALWAYS)
            @Schema(description = "Every metric by wire name (see RolloutMetric); null when undefined")
            Map<String, Double> metrics) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AbMetricComparison")
    public record Comparison(
            @Schema(description = "The treatment variant", example = "ple")
            String variant,

            @Schema(example = "watch_time_per_user") String metric,

            @Schema(description = "The control's value of the metric")
            Double control,

            @Schema(description = "The treatment's value of the metric")
            Double treatment,

            @Schema(description = "treatment / control − 1 (0.05 = +5 %)")
            Double lift,

            @Schema(
                    description = "Lower end of the 95 % confidence interval of the lift (delta method); null while a"
                            + " variant's metric does not vary (e.g. no shares yet), whose variance is then unknown")
            Double ciLow,

            @Schema(description = "Upper end of the 95 % confidence interval of the lift")
            Double ciHigh,

            @Schema(
                    description = "Two-sided p-value of 'no difference': Welch's t-test for per-user metrics,"
                            + " a z-test with delta-method variances for rates")
            Double pValue,

            @Schema(description = "pValue < 0.05") boolean significant) {}
}
