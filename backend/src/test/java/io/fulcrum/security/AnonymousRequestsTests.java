package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP (MockMvc adds no CSRF check of its own to skip): a request with neither a session
 * nor a token is asked who it is, whatever its method. Writes used to be answered 403 about a
 * missing CSRF token, because that check runs before authentication.
 */
@FulcrumSpringTest
class AnonymousRequestsTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @CsvSource({
        "GET, /api/task-groups",
        "POST, /api/task-groups",
        "PUT, /api/task-groups/1",
        "DELETE, /api/task-groups/1",
        "POST, /api/rank"
    })
    void everyMethodWithoutCredentialsIsUnauthenticated(String method, String path) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("{}");
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/json")
                        .method(method, body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"fulcrum\"");
        assertThat(response.body())
                .contains("urn:fulcrum:problem:unauthenticated")
                .doesNotContain("CSRF");
    }
}
