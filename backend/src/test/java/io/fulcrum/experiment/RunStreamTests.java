package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The live feed over real HTTP: points arrive while the run trains and the stream ends with it. */
@FulcrumSpringTest
class RunStreamTests {

    @Autowired
    MockMvcTester mvc;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void streamsNewPointsAndStateChangesUntilTheRunFinishes() throws Exception {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        long id = fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, ""));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/runs/" + id + "/stream?after=0"))
                .header("Authorization", "Bearer " + TestSecurity.adminToken(context))
                .timeout(Duration.ofMinutes(2))
                .build();

        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        List<String> states = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                    events.add(event);
                } else if (line.startsWith("data:") && "state".equals(event)) {
                    states.add(line);
                }
            }
        }
        assertThat(events).contains("metrics", "state");
        assertThat(states.get(states.size() - 1)).contains("\"SUCCEEDED\"");
        assertThat(fx.runState(id)).isEqualTo("SUCCEEDED");
    }
}
