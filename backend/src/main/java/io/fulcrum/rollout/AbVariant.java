package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;

/** A stored variant; {@code position} is its place in bucket order. */
@Schema(description = "A variant of an A/B experiment as stored")
public record AbVariant(
        @Schema(example = "treatment") String name,

        @Schema(description = "Bucket order: variant i owns the buckets after those of variants 0..i-1")
        int position,

        boolean control,
        @Schema(example = "4") int modelVersion,
        ScoringSpec scoring,
        @Schema(example = "500") int allocationBps) {}
