package io.fulcrum.system;

import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses to start in a role this version cannot play, rather than starting a process that looks
 * healthy and does nothing. The worker role arrives with experiment runs.
 */
@Component
class RoleGuard {

    static final String SERVER = "server";

    RoleGuard(@Value("${fulcrum.role:server}") String role) {
        if (!SERVER.equals(role.strip().toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("fulcrum.role (FULCRUM_ROLE) is '" + role
                    + "', but this version of Fulcrum runs the 'server' role only;"
                    + " the 'worker' role comes with experiment runs");
        }
    }
}
