package io.fulcrum.schedule;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A schedule as listed: without its specs. */
@Schema(name = "LossWeightScheduleSummary")
public record ScheduleSummary(
        long id,
        String name,
        String description,

        @Schema(description = "Number of the latest version")
        int version,

        @Schema(description = "Type of the latest version's spec", example = "dwa")
        String type,

        Instant createdAt,
        Instant updatedAt) {}
