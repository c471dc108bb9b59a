package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.TestSecurity;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Real users and real tokens for the security tests: unique names, since every test shares one database. */
final class SecurityFixtures {

    static final String PASSWORD = "a-long-enough-password";

    private final UserAccounts users;
    private final ApiTokens tokens;

    SecurityFixtures(UserAccounts users, ApiTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A user who may sign in with {@link #PASSWORD} without having to change it first. */
    UserAccount user(Role role) {
        return users.create(unique(role.name().toLowerCase()), PASSWORD, role.name(), false);
    }

    /** A user created the way an admin creates one: the password must be changed at the first sign-in. */
    UserAccount newUser(Role role) {
        return users.create(unique("new-" + role.name().toLowerCase()), PASSWORD, role.name(), true);
    }

    /** The secret of a new PERSONAL token of this user. */
    String personalToken(UserAccount owner) {
        return tokens.issue(owner.username(), unique("token"), "PERSONAL", null, false)
                .secret();
    }

    IssuedToken token(TokenKind kind) {
        return tokens.issue(TestSecurity.ADMIN, unique(kind.name().toLowerCase()), kind.name(), null, true);
    }

    /** Sends the secret as a real bearer header, replacing the admin the MockMvc tests act as. */
    static RequestPostProcessor bearer(String secret) {
        return request -> {
            request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + secret);
            return request;
        };
    }

    /** A 400 problem listing exactly these fields, with these rules, in this order. */
    static void assertRefused(MvcTestResult result, List<String> fields, List<String> rules) {
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .containsExactlyElementsOf(fields);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.errors[*].rule")
                .asArray()
                .containsExactlyElementsOf(rules);
    }
}
