package io.fulcrum.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A blocking JSON client of a Fulcrum server's REST API, for the benchmarks and commands that drive
 * a server the way a user's script would. A 4xx or 5xx answer throws with the problem detail's body,
 * so the broken rule reaches the person running the command.
 */
public final class ApiClient {

    private final HttpClient http;
    private final String base;
    private final String token;

    /** @param token an API token sent as {@code Authorization: Bearer}; null sends none */
    public ApiClient(String base, String token) {
        this(
                base,
                token,
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    public ApiClient(String base, String token, HttpClient http) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.http = http;
    }

    /** The same server with another token. */
    public ApiClient withToken(String otherToken) {
        return new ApiClient(base, otherToken, http);
    }

    /** The {@code Authorization} header value of a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public String base() {
        return base;
    }

    public String get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public String post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public String put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private String send(HttpRequest.Builder builder) {
        builder.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", bearer(token.strip()));
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new IllegalStateException(request.method() + " "
                        + request.uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
