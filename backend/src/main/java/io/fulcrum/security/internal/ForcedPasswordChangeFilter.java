package io.fulcrum.security.internal;

import io.fulcrum.security.NotAllowedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a signed-in user who must change their password on the password page: every other page
 * redirects there, and their session's API calls answer 403 saying why. Requests with a bearer
 * token are not concerned: a token was created by someone who had already chosen a password.
 */
public class ForcedPasswordChangeFilter extends OncePerRequestFilter {

    /** What such a user may still reach: the password page, signing out, and the pages' assets. */
    private static final List<String> OPEN_PREFIXES = List.of(
            ForcedPasswordChange.PAGE,
            SecurityConfiguration.SIGN_OUT,
            SecurityConfiguration.SIGN_IN,
            "/css/",
            "/js/",
            "/webjars/",
            "/favicon.ico",
            "/error",
            "/actuator/health");

    private final ProblemEntryPoint problems;

    ForcedPasswordChangeFilter(ProblemEntryPoint problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!ForcedPasswordChange.required(request) || BearerTokenFilter.hasBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (OPEN_PREFIXES.stream().anyMatch(path::startsWith)) {
            chain.doFilter(request, response);
        } else if (path.startsWith("/api/")) {
            problems.handle(
                    request,
                    response,
                    new NotAllowedException("you must change your password first: open " + ForcedPasswordChange.PAGE
                            + " in the dashboard (API tokens are not affected)"));
        } else {
            response.sendRedirect(request.getContextPath() + ForcedPasswordChange.PAGE);
        }
    }
}
