package io.fulcrum.security;

import io.swagger.v3.oas.annotations.media.Schema;

/** A token just created: the only time its secret is ever shown. */
public record IssuedToken(
        ApiTokenView token,

        @Schema(description = "Send as 'Authorization: Bearer <secret>'. Shown once: Fulcrum keeps only its hash.")
        String secret) {}
