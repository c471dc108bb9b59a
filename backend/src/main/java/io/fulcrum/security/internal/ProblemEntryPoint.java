package io.fulcrum.security.internal;

import io.fulcrum.security.NotAllowedException;
import io.fulcrum.security.Viewer;
import io.fulcrum.system.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/** The API's answers to "who are you?" (401) and "you may not" (403), as RFC 7807 problem details. */
public class ProblemEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

    public static final URI UNAUTHENTICATED = URI.create("urn:fulcrum:problem:unauthenticated");
    public static final URI FORBIDDEN = URI.create("urn:fulcrum:problem:forbidden");
    public static final String SESSION_ENDED =
            "your session ended because an admin changed your account: sign in again";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"fulcrum\"");
        String detail = e.getMessage() != null
                        && (e.getMessage().startsWith("the bearer token")
                                || e.getMessage().equals(SESSION_ENDED))
                ? e.getMessage()
                : "sign in, or send an API token as 'Authorization: Bearer <token>'";
        write(request, response, HttpStatus.UNAUTHORIZED, UNAUTHENTICATED, "Unauthenticated", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        if (e instanceof CsrfException
                && !Viewer.signedIn(SecurityContextHolder.getContext().getAuthentication())) {
            // the CSRF check runs before anyone is asked who they are: a caller with neither a session
            // nor a token must hear "who are you?" whatever the method, not "your CSRF token is wrong"
            commence(request, response, new InsufficientAuthenticationException("no credentials"));
            return;
        }
        String detail = e instanceof NotAllowedException
                ? e.getMessage()
                : e instanceof CsrfException
                        ? "the CSRF token is missing or wrong: a signed-in browser must send the page's token in the"
                                + " X-CSRF-TOKEN header; scripts should use an API token instead"
                        : "your role or token kind may not " + request.getMethod() + " " + request.getRequestURI()
                                + " (docs/security.md lists who may do what)";
        write(request, response, HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", detail);
    }

    private static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            URI type,
            String title,
            String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.toString());
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(problem));
    }
}
