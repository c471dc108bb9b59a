package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleGuardTests {

    @Test
    void acceptsTheServerRoleWithOrWithoutADatabaseUrl() {
        assertThatCode(() -> new RoleGuard("server", "")).doesNotThrowAnyException();
        assertThatCode(() -> new RoleGuard(" Server ", "jdbc:postgresql://db/fulcrum"))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsAWorkerGivenTheServersDatabase() {
        assertThatCode(() -> new RoleGuard("worker", "jdbc:postgresql://db/fulcrum"))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAWorkerWithoutTheServersDatabase() {
        assertThatThrownBy(() -> new RoleGuard("worker", " "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FULCRUM_DB_URL");
    }

    @Test
    void refusesAnUnknownRole() {
        assertThatThrownBy(() -> new RoleGuard("scheduler", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'scheduler'")
                .hasMessageContaining("FULCRUM_ROLE");
    }
}
