package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.session.SessionRegistry;

/**
 * A request with a bearer token is authenticated by that token alone: it must not open an HTTP
 * session. Each one used to, and register it for its principal, so a ranking client at 200 requests/s
 * piled up sessions (and a registry set that every request copied) for the sessions' whole lifetime.
 */
@FulcrumSpringTest
class StatelessTokenRequestsTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    SessionRegistry sessions;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tokenRequestsOpenNoSessionAndRegisterNone() throws Exception {
        String personal = TestSecurity.adminToken(context);
        String serving = TestSecurity.servingToken(context);
        int before = registeredSessions();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> read = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/task-groups"))
                            .header("Authorization", "Bearer " + personal)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().allValues("Set-Cookie")).isEmpty();

            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/events"))
                            .header("Authorization", "Bearer " + serving)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"events\": []}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isLessThan(500);
            assertThat(post.headers().allValues("Set-Cookie")).isEmpty();
        }
        assertThat(registeredSessions()).isEqualTo(before);
    }

    private int registeredSessions() {
        return sessions.getAllPrincipals().stream()
                .mapToInt(p -> sessions.getAllSessions(p, true).size())
                .sum();
    }
}
