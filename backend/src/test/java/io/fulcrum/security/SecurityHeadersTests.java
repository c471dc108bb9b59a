package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;

import io.fulcrum.FulcrumSpringTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Every response carries the browser-side defences, pages and API alike, signed in or not. */
@FulcrumSpringTest
class SecurityHeadersTests {

    @Autowired
    MockMvcTester mvc;

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    void hasTheSecurityHeaders(MvcTestResult result) {
        hasTheSecurityHeaders(result, POLICY);
    }

    void hasTheSecurityHeaders(MvcTestResult result, String policy) {
        assertThat(result.getResponse().getHeaders("Content-Security-Policy")).containsExactly(policy);
        assertThat(result)
                .headers()
                .hasValue("X-Content-Type-Options", "nosniff")
                .hasValue("X-Frame-Options", "DENY")
                .hasValue("Referrer-Policy", "same-origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/overview", "/studies", "/api/task-groups", "/js/fulcrum.js", "/v3/api-docs"})
    void onPagesAssetsAndTheApi(String path) {
        hasTheSecurityHeaders(mvc.get().uri(path).exchange());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/swagger-ui.html", "/swagger-ui/index.html", "/swagger-ui/swagger-initializer.js"})
    void swaggerUiAloneMayUseInlineStyles(String path) {
        hasTheSecurityHeaders(
                mvc.get().uri(path).exchange(),
                POLICY.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sign-in", "/api/task-groups", "/actuator/health"})
    void forAnonymousClientsToo(String path) {
        hasTheSecurityHeaders(mvc.get().uri(path).with(anonymous()).exchange());
    }
}
