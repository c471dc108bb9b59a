package io.fulcrum.security.internal;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The browser-side defences of every response: a Content-Security-Policy that lets pages run only the
 * scripts and styles Fulcrum serves itself (no inline script, no inline style attribute, no eval), no
 * framing, no MIME sniffing, and no full URLs leaked as referrers to other sites (docs/security.md,
 * "Limits and hostile input").
 */
public final class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /**
     * Swagger UI's bundle (React) sets inline styles, which the policy above refuses; its pages alone
     * allow them. Scripts stay restricted to Fulcrum's own files there too.
     */
    public static final String SWAGGER_UI_POLICY =
            CONTENT_SECURITY_POLICY.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");

    private static final RequestMatcher SWAGGER_UI = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui.html"),
            PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**"));

    private SecurityHeaders() {}

    public static void apply(HttpSecurity http) throws Exception {
        http.headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        new NegatedRequestMatcher(SWAGGER_UI),
                        new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        SWAGGER_UI, new ContentSecurityPolicyHeaderWriter(SWAGGER_UI_POLICY)))
                .contentTypeOptions(Customizer.withDefaults())
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
    }
}
