package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;

/** One variant as a client asks for it. */
@Schema(description = "A variant of an A/B experiment: a model version, its scoring and its share of traffic")
public record AbVariantRequest(
        @Schema(description = "1 to 40 of a-z, 0-9, '_' and '-', starting with a letter or digit", example = "control")
        String name,

        @Schema(description = "Exactly one variant of an experiment is the control")
        Boolean control,

        @Schema(description = "A version number of the surface's model", example = "3")
        Integer modelVersion,

        @Schema(description = "How the task predictions combine; the surface's default scoring when absent")
        ScoringSpec scoring,

        @Schema(description = "Buckets of 10,000 this variant owns, 1 to 10,000", example = "500")
        Integer allocationBps) {}
