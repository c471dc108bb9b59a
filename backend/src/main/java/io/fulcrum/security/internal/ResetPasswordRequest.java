package io.fulcrum.security.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/** A password an admin gives a user, who must change it at their next sign-in. */
public record ResetPasswordRequest(
        @Schema(description = "12 to 200 characters") String password) {}
