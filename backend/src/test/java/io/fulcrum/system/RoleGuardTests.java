package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleGuardTests {

    @Test
    void acceptsTheServerRole() {
        assertThatCode(() -> new RoleGuard("server")).doesNotThrowAnyException();
        assertThatCode(() -> new RoleGuard(" Server ")).doesNotThrowAnyException();
    }

    @Test
    void refusesARoleThisVersionCannotPlay() {
        assertThatThrownBy(() -> new RoleGuard("worker"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'worker'")
                .hasMessageContaining("FULCRUM_ROLE");
    }
}
