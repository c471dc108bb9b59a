package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** An A/B experiment in full: its configuration, where it is in its life and in its ramp plan. */
@Schema(description = "An A/B experiment with its variants, state and ramp position")
public record AbExperimentView(
        long id,
        String name,

        @Schema(description = "The surface's name", example = "home-feed")
        String surface,

        long surfaceId,

        @Schema(description = "The registered model the surface serves; variants are versions of it")
        String modelName,

        String description,
        AbExperimentState state,
        String salt,
        String targetMetric,
        List<Guardrail> guardrails,
        List<RampStep> rampPlan,

        @Schema(description = "Index of the current step in rampPlan (0 before the start and with an empty plan)")
        int rampStep,

        @Schema(
                description = "Percent of each variant's allocation that serves now: the current step's, or 100"
                        + " with an empty plan",
                example = "5")
        double rampPercent,

        @Schema(description = "When the current ramp step began; null before the start")
        Instant rampStepStartedAt,

        @Schema(description = "Whether the plan has a step after the current one")
        boolean hasNextRampStep,

        @Schema(description = "Variants in bucket order") List<AbVariant> variants,

        @Schema(description = "Buckets no variant owns: they are held out and served by the champion", example = "9000")
        int holdoutBps,

        @Schema(description = "The promoted variant's name; null unless PROMOTED")
        String winner,

        @Schema(description = "Why it was promoted or rolled back")
        String outcomeReason,

        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant stoppedAt,
        Instant updatedAt,

        @Schema(description = "Grows by one with every change")
        long rowVersion,

        @Schema(
                description = "The transitions allowed from the current state",
                example = "[\"stop\", \"promote\"," + " \"rollback\", \"advance\"]")
        List<String> transitions,

        @Schema(description = "fixed or sequential", example = "sequential")
        String analysis,

        @Schema(description = "none, holm or benjamini-hochberg", example = "holm")
        String correction,

        @Schema(description = "CUPED's pre-exposure window (ISO-8601); P0D: no CUPED", example = "P14D")
        String preExposure,

        @Schema(description = "The planned users per variant; null when none was planned")
        Long plannedUsersPerVariant) {

    /** The variant of this name, or null. */
    public AbVariant variant(String variantName) {
        return variants.stream()
                .filter(v -> v.name().equals(variantName))
                .findFirst()
                .orElse(null);
    }

    /** The control variant. */
    public AbVariant control() {
        return variants.stream().filter(AbVariant::control).findFirst().orElseThrow();
    }
}
