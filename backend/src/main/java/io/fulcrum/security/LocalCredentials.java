package io.fulcrum.security;

import io.fulcrum.security.internal.AdminBootstrap;
import org.springframework.context.ApplicationContext;

/**
 * Tokens for Fulcrum's own in-process drivers (the benchmarks start a server and call it over
 * HTTP like any client, so they need credentials like any client). Each is owned by the first
 * admin and lives one day.
 */
public final class LocalCredentials {

    private LocalCredentials() {}

    /** A personal token acting as the first admin. */
    public static String adminToken(ApplicationContext context, String name) {
        return issue(context, name, TokenKind.PERSONAL);
    }

    /** A serving token: ranking and events only. */
    public static String servingToken(ApplicationContext context, String name) {
        return issue(context, name, TokenKind.SERVING);
    }

    /** A worker token, for worker processes that a driver or a test starts. */
    public static String workerToken(ApplicationContext context, String name) {
        return issue(context, name, TokenKind.WORKER);
    }

    private static String issue(ApplicationContext context, String name, TokenKind kind) {
        ApiTokens tokens = context.getBean(ApiTokens.class);
        return tokens.issue(
                        AdminBootstrap.ADMIN,
                        name,
                        kind.name(),
                        java.time.OffsetDateTime.now().plusDays(1),
                        true)
                .secret();
    }
}
