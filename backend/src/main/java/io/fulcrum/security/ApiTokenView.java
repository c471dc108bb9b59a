package io.fulcrum.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;

/** An API token as lists show it: never its secret. */
public record ApiTokenView(
        long id,
        @Schema(example = "nightly-study") String name,
        TokenKind kind,

        @Schema(description = "The user who created it; a PERSONAL token acts as this user")
        String owner,

        @Schema(description = "The secret's first characters, to recognise it", example = "ful_p_3kQ9")
        String prefix,

        OffsetDateTime createdAt,
        OffsetDateTime expiresAt,

        @Schema(description = "When it last authenticated a request, to the minute")
        OffsetDateTime lastUsedAt,

        OffsetDateTime revokedAt,
        String revokedBy,
        @Schema(description = "ACTIVE, EXPIRED or REVOKED") String status) {}
