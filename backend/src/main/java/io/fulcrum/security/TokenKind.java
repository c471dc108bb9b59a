package io.fulcrum.security;

import io.fulcrum.system.EnumNames;

/**
 * What an API token may do. A PERSONAL token acts with its owner's role; a WORKER token lets a
 * worker node lease and train runs; a SERVING token may call only the ranking and event endpoints.
 */
public enum TokenKind {
    PERSONAL,
    WORKER,
    SERVING;

    public static final String WORKER_AUTHORITY = "ROLE_WORKER";
    public static final String SERVING_AUTHORITY = "ROLE_SERVING";

    /** The kind named by a wire value, case-insensitively, or null when there is none. */
    public static TokenKind parse(String value) {
        return EnumNames.lenient(TokenKind.class, value);
    }
}
