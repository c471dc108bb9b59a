package io.fulcrum.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;

/** One state change in the audit log. */
public record AuditEntry(
        long id,
        OffsetDateTime at,

        @Schema(example = "alice", description = "The signed-in user, the token's name, or 'system'")
        String actor,

        @Schema(example = "ab-experiment.promote") String action,
        @Schema(example = "ab-experiment/12") String target,

        @Schema(description = "Why, or what else matters about the change")
        String detail,

        @Schema(
                description = "What the target looked like before, where that matters: a JSON object",
                implementation = Object.class)
        JsonNode before,

        @Schema(
                description = "What it looks like after, where that matters: a JSON object",
                implementation = Object.class)
        JsonNode after) {}
