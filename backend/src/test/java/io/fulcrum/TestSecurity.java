package io.fulcrum;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.fulcrum.security.LocalCredentials;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * How tests authenticate. MockMvc requests act as the admin with a valid CSRF token unless a test
 * says otherwise ({@code .with(serving())}, {@code .with(anonymous())}, …), so the tests of each
 * feature test the feature; the security tests test the rules. Real HTTP calls use real tokens.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSecurity {

    /** The first admin's name and password in the test profile (application-test.properties). */
    public static final String ADMIN = "admin";

    public static final String ADMIN_PASSWORD = "test-admin-password";

    @Bean
    MockMvcBuilderCustomizer signedInAsAdmin() {
        return builder ->
                builder.defaultRequest(get("/").with(as(ADMIN, "ADMIN")).with(csrf()));
    }

    /** A user with one role, for MockMvc requests. */
    public static RequestPostProcessor as(String username, String role) {
        return user(username).roles(role);
    }

    /** What a serving token authenticates as, for MockMvc requests of /api/rank and /api/events. */
    public static RequestPostProcessor serving() {
        return user("serving-token:test").authorities(() -> "ROLE_SERVING");
    }

    /** A real personal token of the admin, for HTTP clients. */
    public static String adminToken(ApplicationContext context) {
        return LocalCredentials.adminToken(context, "test-admin");
    }

    /** A real worker token, for worker processes the tests start. */
    public static String workerToken(ApplicationContext context) {
        return LocalCredentials.workerToken(context, "test-worker");
    }

    /** A real serving token, for HTTP clients of the ranking and event endpoints. */
    public static String servingToken(ApplicationContext context) {
        return LocalCredentials.servingToken(context, "test-serving");
    }
}
