package io.fulcrum.security;

import io.fulcrum.system.EnumNames;

/**
 * A dashboard user's role. Each role can do everything the one before it can: VIEWER reads,
 * ENGINEER also creates and trains, ADMIN also manages users, tokens, workers and rollouts.
 */
public enum Role {
    VIEWER,
    ENGINEER,
    ADMIN;

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role named by a wire value, case-insensitively, or null when there is none. */
    public static Role parse(String value) {
        return EnumNames.lenient(Role.class, value);
    }
}
