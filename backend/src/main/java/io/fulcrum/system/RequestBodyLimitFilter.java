package io.fulcrum.system;

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
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies: every API request's, and every multipart body's but the dataset uploads' (the
 * API's and the import wizard's: datasets are large, and their files stream to disk). A declared
 * Content-Length over the cap is answered 413 before a byte is read; a body without one (chunked) is
 * counted as it is read, and the read that passes the cap throws {@link BodyTooLargeException}, also
 * answered 413. Either way no more than the cap is ever read, so a huge body is never buffered. It runs
 * before Spring Security, so an unauthenticated client cannot make the server read a large body either.
 * Dashboard form posts are capped by Tomcat ({@code server.tomcat.max-http-form-post-size}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@EnableConfigurationProperties(RequestLimits.class)
class RequestBodyLimitFilter extends OncePerRequestFilter {

    static final String EVENTS_PATH = "/api/events";

    /** Where a multipart body may be as large as it is: the dataset file uploads. */
    static final Set<String> UPLOAD_PATHS = Set.of("/api/datasets/uploads", "/datasets/new");

    private static final URI LENGTH_REQUIRED = URI.create("urn:fulcrum:problem:length-required");

    private final RequestLimits limits;

    RequestBodyLimitFilter(RequestLimits limits) {
        this.limits = limits;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        if (multipart(request)) {
            return "POST".equals(request.getMethod()) && UPLOAD_PATHS.contains(path);
        }
        return !path.startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean events = path(request).equals(EVENTS_PATH);
        String property = events ? RequestLimits.MAX_EVENTS_BODY : RequestLimits.MAX_JSON_BODY;
        long maxBytes = (events ? limits.maxEventsBody() : limits.maxJsonBody()).toBytes();
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            BodyTooLargeException e = new BodyTooLargeException(property, maxBytes);
            write(
                    request,
                    response,
                    HttpStatus.CONTENT_TOO_LARGE,
                    ProblemTypes.BODY_TOO_LARGE,
                    BodyTooLargeException.TITLE,
                    e.getMessage(),
                    e.properties());
            return;
        }
        if (!multipart(request)) {
            chain.doFilter(new LimitedBodyRequest(request, property, maxBytes), response);
        } else if (declared >= 0) {
            chain.doFilter(request, response);
        } else {
            // the container parses a multipart body itself, past any wrapper: only its declared length caps it
            write(
                    request,
                    response,
                    HttpStatus.LENGTH_REQUIRED,
                    LENGTH_REQUIRED,
                    "Length required",
                    "a multipart body must declare its Content-Length here (only dataset uploads may stream)",
                    Map.of());
        }
    }

    private static boolean multipart(HttpServletRequest request) {
        String contentType = request.getContentType();
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** An answer given here, before any controller (or its advice) is reached. */
    private static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            URI type,
            String title,
            String detail,
            Map<String, Object> properties)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.toString());
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        problem.putAll(properties);
        response.setStatus(status.value());
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
