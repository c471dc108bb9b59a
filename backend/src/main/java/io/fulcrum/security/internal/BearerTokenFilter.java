package io.fulcrum.security.internal;

import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.TokenKind;
import io.fulcrum.security.TokenPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <secret>} requests by an API token. A request that
 * sends a bearer header is judged by it alone: a wrong, expired or revoked token is a 401, even
 * when the same request also carries a session cookie.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    public static final String PREFIX = "Bearer ";

    private final ApiTokens tokens;
    private final AuthenticationEntryPoint entryPoint;

    BearerTokenFilter(ApiTokens tokens, AuthenticationEntryPoint entryPoint) {
        this.tokens = tokens;
        this.entryPoint = entryPoint;
    }

    public static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** A streamed answer (server-sent events) is finished in an async dispatch that must be authenticated too. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        String secret = request.getHeader(HttpHeaders.AUTHORIZATION).substring(PREFIX.length());
        Optional<TokenPrincipal> principal = tokens.authenticate(secret);
        if (principal.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(
                    request, response, new BadCredentialsException("the bearer token is unknown, expired or revoked"));
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                principal.get().name(), principal.get(), authorities(principal.get())));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    public static List<GrantedAuthority> authorities(TokenPrincipal principal) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        switch (principal.kind()) {
            case PERSONAL ->
                authorities.add(new SimpleGrantedAuthority(principal.ownerRole().authority()));
            case WORKER -> authorities.add(new SimpleGrantedAuthority(TokenKind.WORKER_AUTHORITY));
            case SERVING -> authorities.add(new SimpleGrantedAuthority(TokenKind.SERVING_AUTHORITY));
        }
        return authorities;
    }
}
