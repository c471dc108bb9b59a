package io.fulcrum.security.internal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;

/** An API token to issue, owned by the caller. */
public record CreateTokenRequest(
        @Schema(description = "What it is for, up to 100 characters", example = "nightly-study")
        String name,

        @Schema(
                description = "PERSONAL (acts with your role; the default), WORKER or SERVING (ADMIN only)",
                example = "PERSONAL")
        String kind,

        @Schema(description = "When it stops working; 90 days from now when left out, at most 730")
        OffsetDateTime expiresAt) {}
