package io.fulcrum.rollout.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/** Why an experiment changes state; required for a rollback. */
@Schema(description = "The reason for a state change, at most 2,000 characters")
public record TransitionRequest(
        @Schema(example = "enough users for the target metric")
        String reason) {}
