package io.fulcrum.worker;

import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.TokenKind;
import io.fulcrum.security.TokenPrincipal;
import java.util.Optional;

/**
 * Whether a worker process's token (FULCRUM_WORKER_TOKEN) still lets it train: an active WORKER
 * token of an enabled user. A worker process reaches the database directly, so the token is what
 * lets an admin cut one off: it is checked at start and again at every heartbeat.
 */
final class WorkerTokenCheck {

    static final String HOW_TO_GET_ONE = "an admin creates one on the dashboard's Tokens page (/admin/tokens) or"
            + " with POST /api/tokens {\"name\": \"...\", \"kind\": \"WORKER\"}, and the worker takes it as"
            + " FULCRUM_WORKER_TOKEN (fulcrum.worker.token)";

    private final ApiTokens tokens;
    private final String secret;

    WorkerTokenCheck(ApiTokens tokens, String secret) {
        this.tokens = tokens;
        this.secret = secret;
    }

    /**
     * Why the token does not let this process work, or null when it does. Throws when the database
     * cannot be asked, which says nothing about the token.
     */
    String problem() {
        if (secret == null || secret.isBlank()) {
            return "a worker process needs a WORKER token: " + HOW_TO_GET_ONE;
        }
        Optional<TokenPrincipal> principal = tokens.authenticate(secret);
        if (principal.isEmpty()) {
            return "the worker token (FULCRUM_WORKER_TOKEN) is unknown, expired or revoked, or its owner is"
                    + " disabled; " + HOW_TO_GET_ONE;
        }
        if (principal.get().kind() != TokenKind.WORKER) {
            return "the worker token (FULCRUM_WORKER_TOKEN) is a "
                    + principal.get().kind() + " token; a worker needs a WORKER token: " + HOW_TO_GET_ONE;
        }
        return null;
    }
}
