package io.fulcrum.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands before the form sign-in: while the {@link SignInThrottle} refuses the user name or the client
 * address, the attempt goes back to the sign-in page with the minutes left, and the password is never
 * checked. Not a bean, so that it runs only inside the security filter chain.
 */
public class SignInThrottleFilter extends OncePerRequestFilter {

    private static final RequestMatcher SIGN_IN_POST =
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, SecurityConfiguration.SIGN_IN);

    private final SignInThrottle throttle;

    SignInThrottleFilter(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !SIGN_IN_POST.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Duration> refused = throttle.refusal(request.getParameter("username"), request.getRemoteAddr());
        if (refused.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long minutes = Math.max(1, (refused.get().toSeconds() + 59) / 60);
        response.sendRedirect(request.getContextPath() + SecurityConfiguration.SIGN_IN + "?error&locked=" + minutes);
    }
}
