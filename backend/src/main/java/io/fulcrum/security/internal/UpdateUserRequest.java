package io.fulcrum.security.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/** A change to a user's role or whether they may sign in; a field left out keeps its value. */
public record UpdateUserRequest(
        @Schema(description = "VIEWER, ENGINEER or ADMIN", example = "VIEWER")
        String role,

        @Schema(description = "false disables the user: their sessions end and their tokens stop at once")
        Boolean enabled) {}
