package io.fulcrum.system;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who makes a change: the signed-in user or the token's name, as Spring Security authenticated
 * it, or {@value #SYSTEM} for Fulcrum's own background work (the ramp supervisor, the run queue).
 * The registry, the rollout and the audit log record it.
 */
public final class Actors {

    public static final String SYSTEM = "system";

    private Actors() {}

    /** The authenticated actor of the current thread, or {@value #SYSTEM} outside a request. */
    public static String current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return SYSTEM;
        }
        return authentication.getName();
    }
}
