package io.fulcrum.security;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A dashboard session over real HTTP, as a browser holds one: a cookie jar, the CSRF token of the
 * last page read, and no following of redirects, so that tests see where the server sends the user.
 */
final class SignedInSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient http;
    private String csrf;

    /** Where the sign-in form sent the user. */
    String landedOn;

    private SignedInSession(int port) {
        this.base = "http://localhost:" + port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Signs in through the sign-in form; the answer is the form's redirect. */
    static SignedInSession signIn(int port, String username, String password) {
        SignedInSession session = new SignedInSession(port);
        HttpResponse<String> answer =
                session.form("/sign-in", "/sign-in", Map.of("username", username, "password", password));
        if (answer.statusCode() != 302
                || answer.headers().firstValue("Location").orElse("").contains("error")) {
            throw new AssertionError("sign-in as " + username + " failed: " + answer.statusCode() + " "
                    + answer.headers().map());
        }
        session.landedOn = answer.headers().firstValue("Location").orElse("");
        return session;
    }

    HttpResponse<String> get(String path) {
        HttpResponse<String> answer =
                send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
        Matcher token = CSRF.matcher(answer.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return answer;
    }

    /** Opens a page and posts its form, with the page's CSRF token, as a browser would. */
    HttpResponse<String> form(String page, String path, Map<String, String> fields) {
        get(page);
        if (csrf == null) {
            throw new AssertionError(page + " has no form with a CSRF token");
        }
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf);
        String body = all.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        csrf = null;
        return answer;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
