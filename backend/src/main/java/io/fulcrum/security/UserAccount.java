package io.fulcrum.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;

/** A dashboard user as the API shows it: never with the password or its hash. */
public record UserAccount(
        long id,
        @Schema(example = "alice") String username,
        Role role,
        boolean enabled,

        @Schema(description = "The user must choose a new password before doing anything else")
        boolean passwordChangeRequired,

        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {}
