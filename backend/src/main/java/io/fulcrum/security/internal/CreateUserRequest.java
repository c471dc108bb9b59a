package io.fulcrum.security.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/** A new dashboard user; they must change the password at their first sign-in. */
public record CreateUserRequest(
        @Schema(description = "1 to 64 letters, digits, '.', '_' or '-'; unique ignoring case", example = "alice")
        String username,

        @Schema(description = "A first password of 12 to 200 characters, to be changed at the first sign-in")
        String password,

        @Schema(description = "VIEWER, ENGINEER or ADMIN", example = "ENGINEER")
        String role) {}
