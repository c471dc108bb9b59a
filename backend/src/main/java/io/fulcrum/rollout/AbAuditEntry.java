package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One recorded change of an experiment. */
@Schema(description = "A change of an A/B experiment: what, who, when, why, and the experiment before and after")
public record AbAuditEntry(
        long id,

        @Schema(
                description = "created, updated, started, ramp-advanced, stopped, promoted or rolled-back",
                example = "started")
        String action,

        @Schema(example = "alice") String actor,
        Instant at,
        @Schema(description = "null for created") AbExperimentSnapshot before,
        AbExperimentSnapshot after,
        String reason) {}
