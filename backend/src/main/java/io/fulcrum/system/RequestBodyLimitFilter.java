package io.fulcrum.system;

import io.fulcrum.mtl.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the body of every API request but multipart uploads (datasets are large, and uploads stream to
 * disk). A declared Content-Length over the cap is answered 413 before a byte is read; a body without
 * one (chunked) is counted as it is read, and the read that passes the cap throws
 * {@link BodyTooLargeException}, also answered 413. Either way no more than the cap is ever read, so a
 * huge body is never buffered. It runs before Spring Security, so an unauthenticated client cannot
 * make the server read a large body either.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@EnableConfigurationProperties(RequestLimits.class)
class RequestBodyLimitFilter extends OncePerRequestFilter {

    static final String EVENTS_PATH = "/api/events";

    private final RequestLimits limits;

    RequestBodyLimitFilter(RequestLimits limits) {
        this.limits = limits;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String contentType = request.getContentType();
        boolean multipart =
                contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
        return multipart || !path(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean events = path(request).equals(EVENTS_PATH);
        String property = events ? RequestLimits.MAX_EVENTS_BODY : RequestLimits.MAX_JSON_BODY;
        long maxBytes = (events ? limits.maxEventsBody() : limits.maxJsonBody()).toBytes();
        if (request.getContentLengthLong() > maxBytes) {
            writeTooLarge(request, response, new BodyTooLargeException(property, maxBytes));
            return;
        }
        chain.doFilter(new LimitedBodyRequest(request, property, maxBytes), response);
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** The 413 of a declared length, written here because no controller (nor its advice) is reached. */
    private static void writeTooLarge(HttpServletRequest request, HttpServletResponse response, BodyTooLargeException e)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemTypes.BODY_TOO_LARGE.toString());
        problem.put("title", BodyTooLargeException.TITLE);
        problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
        problem.put("detail", e.getMessage());
        problem.put("instance", request.getRequestURI());
        problem.putAll(e.properties());
        response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // the client may still be sending: this connection will not read the rest
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(problem));
    }

    /** The request with a body stream that refuses to read past the cap. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final String property;
        private final long maxBytes;
        private ServletInputStream limited;

        LimitedBodyRequest(HttpServletRequest request, String property, long maxBytes) {
            super(request);
            this.property = property;
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream(), property, maxBytes);
            }
            return limited;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final String property;
        private final long maxBytes;
        private long read;

        LimitedInputStream(ServletInputStream in, String property, long maxBytes) {
            this.in = in;
            this.property = property;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // never ask for more than one byte past the cap: that byte alone proves the body too large
            long allowed = maxBytes - read + 1;
            int n = in.read(buffer, offset, (int) Math.min(length, Math.max(1, allowed)));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                throw new BodyTooLargeException(property, maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
