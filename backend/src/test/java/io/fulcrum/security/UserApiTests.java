package io.fulcrum.security;

import static io.fulcrum.security.SecurityFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class UserApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UserAccounts users;

    @Autowired
    ApiTokens tokens;

    @Autowired
    org.springframework.security.crypto.password.PasswordEncoder passwords;

    SecurityFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new SecurityFixtures(users, tokens);
    }

    MvcTestResult create(String json) {
        return mvc.post()
                .uri("/api/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    MvcTestResult patch(long id, String json) {
        return mvc.patch()
                .uri("/api/users/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    MvcTestResult reset(long id, String json) {
        return mvc.post()
                .uri("/api/users/{id}/password", id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    long storedUsers() {
        return jdbc.queryForObject("SELECT count(*) FROM app_user", Long.class);
    }

    @Test
    void createsAUserWhoMustChangeThePasswordAtFirstSignIn() {
        String name = unique("alice");

        MvcTestResult result = create("""
                {"username": "%s", "password": "first-password-1", "role": "engineer"}""".formatted(name));

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.username").isEqualTo(name);
        assertThat(result).bodyJson().extractingPath("$.role").isEqualTo("ENGINEER");
        assertThat(result).bodyJson().extractingPath("$.enabled").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.passwordChangeRequired").isEqualTo(true);
        long id = users.find(name).orElseThrow().id();
        assertThat(result).hasHeader("Location", "/api/users/" + id);
        assertThat(SecurityRulesTests.body(result)).doesNotContain("first-password-1", "password\"");
        String hash = jdbc.queryForObject("SELECT password_hash FROM app_user WHERE id = ?", String.class, id);
        assertThat(hash).startsWith("{bcrypt}").doesNotContain("first-password-1");
        assertThat(passwords.matches("first-password-1", hash)).isTrue();
        assertThat(mvc.get().uri("/api/users/{id}", id))
                .bodyJson()
                .extractingPath("$.username")
                .isEqualTo(name);
        assertThat(mvc.get().uri("/api/users"))
                .bodyJson()
                .extractingPath("$[*].username")
                .asArray()
                .contains(name, TestSecurity.ADMIN);
    }

    @Test
    void changesARoleAndDisablesAUser() {
        UserAccount user = fx.user(Role.VIEWER);

        assertThat(patch(user.id(), "{\"role\": \"ADMIN\"}"))
                .bodyJson()
                .extractingPath("$.role")
                .isEqualTo("ADMIN");
        MvcTestResult disabled = patch(user.id(), "{\"enabled\": false}");

        assertThat(disabled).bodyJson().extractingPath("$.enabled").isEqualTo(false);
        assertThat(disabled).bodyJson().extractingPath("$.role").isEqualTo("ADMIN");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_log WHERE action = 'user.update' AND target = ?",
                        Integer.class,
                        "user/" + user.username()))
                .isEqualTo(2);
    }

    @Test
    void resetsAPasswordThatMustBeChangedAtTheNextSignIn() {
        UserAccount user = fx.user(Role.ENGINEER);

        MvcTestResult result = reset(user.id(), "{\"password\": \"given-by-an-admin\"}");

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.passwordChangeRequired").isEqualTo(true);
        String hash = jdbc.queryForObject("SELECT password_hash FROM app_user WHERE id = ?", String.class, user.id());
        assertThat(passwords.matches("given-by-an-admin", hash)).isTrue();
    }

    @Nested
    class Refusing {

        @Test
        void everyBrokenRuleOfANewUserAtOnce() {
            long before = storedUsers();

            MvcTestResult result = create("""
                    {"username": "no spaces", "password": "short", "role": "OWNER"}""");

            SecurityFixtures.assertRefused(
                    result, List.of("username", "password", "role"), List.of("pattern", "min-length", "one-of"));
            assertThat(storedUsers()).isEqualTo(before);
        }

        @Test
        void missingFields() {
            MvcTestResult result = create("{}");

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[*].rule")
                    .asArray()
                    .containsExactly("required", "required", "one-of");
        }

        @Test
        void aTakenNameIgnoringCaseWith409() {
            UserAccount taken = fx.user(Role.VIEWER);
            long before = storedUsers();

            MvcTestResult result = create("""
                    {"username": "%s", "password": "long-enough-pass", "role": "VIEWER"}""".formatted(taken.username().toUpperCase()));

            assertThat(result).hasStatus(HttpStatus.CONFLICT);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("username");
            assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("unique");
            assertThat(storedUsers()).isEqualTo(before);
        }

        @Test
        void anAdminDemotingOrDisablingThemselvesWith409() {
            long admin = users.find(TestSecurity.ADMIN).orElseThrow().id();

            MvcTestResult demoted = patch(admin, "{\"role\": \"VIEWER\"}");
            MvcTestResult disabled = patch(admin, "{\"enabled\": false}");

            assertThat(demoted).hasStatus(HttpStatus.CONFLICT);
            assertThat(disabled).hasStatus(HttpStatus.CONFLICT);
            UserAccount after = users.get(admin);
            assertThat(after.role()).isEqualTo(Role.ADMIN);
            assertThat(after.enabled()).isTrue();
        }

        @Test
        void aChangeThatChangesNothingOrNamesNoRole() {
            UserAccount user = fx.user(Role.VIEWER);

            MvcTestResult empty = patch(user.id(), "{}");
            MvcTestResult unknownRole = patch(user.id(), "{\"role\": \"ROOT\"}");
            MvcTestResult notABoolean = patch(user.id(), "{\"enabled\": \"perhaps\"}");

            assertThat(empty).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(empty).bodyJson().extractingPath("$.errors[0].field").isEqualTo("role");
            assertThat(unknownRole).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(unknownRole)
                    .bodyJson()
                    .extractingPath("$.errors[0].rule")
                    .isEqualTo("one-of");
            assertThat(notABoolean).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(notABoolean)
                    .bodyJson()
                    .extractingPath("$.errors[0].field")
                    .isEqualTo("enabled");
            assertThat(users.get(user.id()).role()).isEqualTo(Role.VIEWER);
        }

        @Test
        void aShortResetPassword() {
            UserAccount user = fx.user(Role.VIEWER);

            MvcTestResult result = reset(user.id(), "{\"password\": \"short\"}");

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("password");
            assertThat(users.get(user.id()).passwordChangeRequired()).isFalse();
        }

        @Test
        void anUnknownUserWith404() {
            assertThat(mvc.get().uri("/api/users/{id}", 987654321L)).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(patch(987654321L, "{\"enabled\": false}")).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(reset(987654321L, "{\"password\": \"long-enough-pass\"}"))
                    .hasStatus(HttpStatus.NOT_FOUND);
        }
    }
}
