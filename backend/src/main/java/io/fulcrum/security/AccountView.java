package io.fulcrum.security;

import io.swagger.v3.oas.annotations.media.Schema;

/** Who the caller is: a signed-in user, or the personal token acting for one. */
public record AccountView(
        @Schema(example = "alice") String username,
        Role role,

        @Schema(description = "The user must change their password before the dashboard or API serve their session")
        boolean passwordChangeRequired,

        @Schema(description = "The kind of the token that authenticated this request; absent for a session")
        TokenKind tokenKind,

        @Schema(description = "The name of that token; absent for a session")
        String tokenName) {}
