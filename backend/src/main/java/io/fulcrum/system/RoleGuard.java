package io.fulcrum.system;

import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses to start in a role Fulcrum does not have, or a worker without the server's database,
 * rather than starting a process that looks healthy and does nothing useful.
 */
@Component
class RoleGuard {

    static final String SERVER = "server";
    static final String WORKER = "worker";

    RoleGuard(@Value("${fulcrum.role:server}") String role, @Value("${spring.datasource.url:}") String databaseUrl) {
        String normalized = role.strip().toLowerCase(Locale.ROOT);
        if (!SERVER.equals(normalized) && !WORKER.equals(normalized)) {
            throw new IllegalStateException(
                    "fulcrum.role (FULCRUM_ROLE) is '" + role + "'; it must be 'server' or 'worker'");
        }
        if (WORKER.equals(normalized) && databaseUrl.isBlank()) {
            throw new IllegalStateException("a worker trains the runs queued in the server's PostgreSQL: set"
                    + " FULCRUM_DB_URL (and FULCRUM_DB_USER, FULCRUM_DB_PASSWORD) to the server's database");
        }
    }
}
