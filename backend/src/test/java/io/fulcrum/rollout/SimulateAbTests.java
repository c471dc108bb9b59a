package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.cli.FulcrumCli;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.system.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import tools.jackson.databind.JsonNode;

/** {@code simulate-ab} on a small population, against this test's real server over HTTP. */
@FulcrumSpringTest
class SimulateAbTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @LocalServerPort
    int port;

    @Test
    void simulatedUsersRankThroughTheApiAndEveryEventTheyPostIsCountedOnce() throws Exception {
        ServingFixtures serving = new ServingFixtures(mvc);
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        String model = serving.model();
        serving.setChampion(model, 1);
        String surface = serving.surface(
                model,
                "{\"exponents\": {\"vtr\": 1, \"vcr\": 1}, \"lengthTransform\": {\"type\": \"log\", \"scale\": 30}}");
        long experiment = fx.create("/api/ab-experiments", """
                {"name": "sim", "surface": "%s", "targetMetric": "watch_time_per_user",
                 "variants": [{"name": "control", "control": true, "modelVersion": 1, "allocationBps": 5000},
                              {"name": "b", "control": false, "modelVersion": 2, "allocationBps": 5000}]}""".formatted(surface));
        assertThat(fx.post("/api/ab-experiments/" + experiment + "/start", "{}"))
                .hasStatus(HttpStatus.OK);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FulcrumCli.run(
                new String[] {
                    "simulate-ab",
                    "--token",
                    TestSecurity.adminToken(context),
                    "--serving-token",
                    TestSecurity.servingToken(context),
                    "--server",
                    "http://localhost:" + port,
                    "--experiment",
                    String.valueOf(experiment),
                    "--users",
                    "40",
                    "--days",
                    "2",
                    "--sessions",
                    "2",
                    "--candidates",
                    "20",
                    "--limit",
                    "5",
                    "--threads",
                    "2",
                    "--format",
                    "json",
                    "--expected-lift",
                    "views_per_user=0.5%"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        JsonNode report = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode totals = report.path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(40 * 2 * 2);
        assertThat(totals.path("exposures").asLong()).isEqualTo(40 * 2 * 2 * 5);
        assertThat(count("SELECT count(*) FROM rank_request WHERE experiment_id = ?", experiment))
                .as("every user is in the experiment at 100 %% allocation")
                .isEqualTo(160);
        assertThat(count("SELECT count(*) FROM ab_event WHERE experiment_id = ? AND type <> 'exposure'", experiment))
                .as("each posted event stored once and attributed through its request id")
                .isEqualTo(totals.path("events").asLong())
                .isPositive();

        JsonNode results = report.path("results");
        long users = 0;
        long exposures = 0;
        for (JsonNode variant : results.path("variants")) {
            users += variant.path("users").asLong();
            exposures += variant.path("exposures").asLong();
        }
        assertThat(users).isEqualTo(40);
        assertThat(exposures).isEqualTo(800);
        assertThat(results.path("comparisons").size()).isPositive();

        JsonNode expected = report.path("expected");
        assertThat(expected.size()).isEqualTo(1);
        assertThat(expected.get(0).path("metric").asString()).isEqualTo("views_per_user");
        assertThat(expected.get(0).path("expectedLift").asDouble()).isEqualTo(0.005);
        assertThat(expected.get(0).path("usersNeeded").asLong()).isPositive();
    }

    @Test
    void refusesAnExperimentThatIsNotRunning() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FulcrumCli.run(
                new String[] {
                    "simulate-ab",
                    "--server",
                    "http://localhost:" + port,
                    "--experiment",
                    "999999",
                    "--token",
                    TestSecurity.adminToken(context),
                    "--serving-token",
                    TestSecurity.servingToken(context)
                },
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("404");
    }

    private long count(String sql, long experiment) {
        return jdbc.queryForObject(sql, Long.class, experiment);
    }
}
