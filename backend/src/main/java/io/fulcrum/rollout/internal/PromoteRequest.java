package io.fulcrum.rollout.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/** Which variant wins, and why. */
@Schema(description = "The winning variant; its model version becomes the champion and its scoring the surface's")
public record PromoteRequest(
        @Schema(description = "A variant name of the experiment", example = "treatment")
        String variant,

        @Schema(description = "At most 2,000 characters") String reason) {}
