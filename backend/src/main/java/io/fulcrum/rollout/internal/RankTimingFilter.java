package io.fulcrum.rollout.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Notes when a ranking request arrived, before its body is read, so the latency that rank_request
 * records includes reading and parsing the candidates.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RankTimingFilter extends OncePerRequestFilter {

    public static final String RECEIVED_NANOS = RankTimingFilter.class.getName() + ".receivedNanos";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RankApiController.PATH.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(RECEIVED_NANOS, System.nanoTime());
        chain.doFilter(request, response);
    }

    public static long receivedNanos(HttpServletRequest request) {
        return request.getAttribute(RECEIVED_NANOS) instanceof Long nanos ? nanos : System.nanoTime();
    }
}
