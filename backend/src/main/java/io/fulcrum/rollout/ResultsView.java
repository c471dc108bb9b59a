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
        List<GuardrailStatus> guardrails,

        @Schema(description = "The analysis in force: fixed or sequential", example = "sequential")
        String analysis,

        @Schema(description = "What the analysis in force means, in one line")
        String analysisMeaning,

        @Schema(
                description = "The correction of analysisPValue across all comparisons: none, holm or"
                        + " benjamini-hochberg",
                example = "holm")
        String correction,

        @Schema(
                description = "CUPED's pre-exposure window before the start (ISO-8601); P0D: no CUPED",
                example = "P14D")
        String preExposure,

        @Schema(description = "The planned users per variant; null when none was planned")
        Long plannedUsersPerVariant,

        @Schema(description = "Whether some variant has fewer users than planned: the results are read early")
        boolean beforePlannedSample,

        @Schema(description = "Says how far the sample is from the plan; null when no plan or the plan is reached")
        String sampleNote) {

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

            @Schema(description = "pValue < 0.05") boolean significant,

            @Schema(
                    description = "CUPED: the lift adjusted by the users' pre-exposure values; null without a"
                            + " pre-exposure window or when no pre-exposure value varies")
            CupedFigures cuped,

            @Schema(
                    description = "Always-valid (sequential) interval and p-value of the CUPED lift where there is"
                            + " one, else of the unadjusted lift")
            SequentialFigures sequential,

            @Schema(
                    description = "The p-value of the analysis in force: sequential's under a sequential analysis,"
                            + " else the fixed-horizon z-test of the CUPED lift where there is one, else pValue")
            Double analysisPValue,

            @Schema(description = "analysisPValue corrected across all comparisons as the experiment's correction says")
            Double adjustedPValue,

            @Schema(description = "adjustedPValue < 0.05") boolean significantAfterCorrection) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AbCupedFigures")
    public record CupedFigures(
            Double lift,
            Double ciLow,
            Double ciHigh,
            Double pValue,

            @Schema(description = "1 − Var(adjusted difference) / Var(unadjusted difference)")
            Double varianceReduction) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AbSequentialFigures")
    public record SequentialFigures(
            Double lift,
            Double ciLow,
            Double ciHigh,

            @Schema(description = "Always-valid p-value, min(1, 1 / mixture likelihood ratio)")
            Double pValue,

            @Schema(description = "Whether the figures are of the CUPED lift")
            boolean cuped) {}
}
