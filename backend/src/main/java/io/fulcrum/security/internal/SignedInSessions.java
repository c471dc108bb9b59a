package io.fulcrum.security.internal;

import io.fulcrum.security.ApiTokens;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * Makes a change to a user take effect at their next request. A session keeps the role it signed
 * in with, and the token check answers from a short cache: after an admin changes a user's role,
 * disables them or resets their password, both are dropped, so the user must sign in again (or
 * is refused) and their tokens are checked afresh.
 */
@Component
public class SignedInSessions {

    private final SessionRegistry registry;
    private final ApiTokens tokens;

    SignedInSessions(SessionRegistry registry, ApiTokens tokens) {
        this.registry = registry;
        this.tokens = tokens;
    }

    /** Ends every dashboard session of this user and forgets the cached answers for all tokens. */
    public void endAllOf(String username) {
        tokens.forgetCachedTokens();
        for (Object principal : registry.getAllPrincipals()) {
            String name = principal instanceof UserDetails user ? user.getUsername() : String.valueOf(principal);
            if (name.equalsIgnoreCase(username)) {
                registry.getAllSessions(principal, false).forEach(SessionInformation::expireNow);
            }
        }
    }
}
