package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** {@code POST /api/ab-experiments/power} on a surface with a few users' events, and its refusals. */
@FulcrumSpringTest
class PowerPlansTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog log;

    @Autowired
    MockMvcTester mvc;

    EventFixtures fx;
    String surface;
    long surfaceId;

    @BeforeEach
    void setUp() {
        fx = new EventFixtures(jdbc);
        surfaceId = fx.surface();
        surface = jdbc.queryForObject("SELECT name FROM surface WHERE id = ?", String.class, surfaceId);
    }

    private MvcTestResult plan(String json) {
        return mvc.post()
                .uri("/api/ab-experiments/power")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    /** Four users of the surface, twelve hours ago: one exposure each and 1, 2, 3, 4 watch seconds. */
    private void fourUsers() {
        List<EventRecord> events = new ArrayList<>();
        String prefix = "pp-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Instant at = Instant.now().minus(Duration.ofHours(12));
        for (int u = 1; u <= 4; u++) {
            UUID request = UUID.randomUUID();
            jdbc.update(
                    "INSERT INTO rank_request (request_id, surface_id, user_id, model_name, model_version, candidates,"
                            + " returned, oov_values, latency_micros, created_at) VALUES (?, ?, ?, 'video', 1, 10, 10, 0, 1, now())",
                    request,
                    surfaceId,
                    prefix + u);
            events.add(EventFixtures.event(prefix + "e" + u, EventType.EXPOSURE, prefix + u, request, null, at));
            events.add(
                    EventFixtures.event(prefix + "w" + u, EventType.WATCH_TIME, prefix + u, request, (double) u, at));
        }
        assertThat(log.append(events)).isEqualTo(events.size());
    }

    @Test
    void plansFromTheSurfacesRecentUsers() {
        fourUsers();

        MvcTestResult result = plan("{\"surface\": \"" + surface + "\", \"metrics\": [\"watch_time_per_user\"],"
                + " \"duration\": \"P7D\", \"trafficShare\": 0.5, \"targetLift\": 0.5}");

        assertThat(result).hasStatusOk();
        String json = body(result);
        assertThat(JsonPath.<Integer>read(json, "$.usersObserved")).isEqualTo(4);
        // seven days planned, twelve hours of history: the users are extrapolated
        assertThat(JsonPath.<Boolean>read(json, "$.extrapolated")).isTrue();
        // watch 1, 2, 3, 4: mean 2.5, s = √(5/3) = 1.290994, CV 0.516398
        assertThat(JsonPath.<Double>read(json, "$.metrics[0].baseline")).isCloseTo(2.5, within(1e-9));
        assertThat(JsonPath.<Double>read(json, "$.metrics[0].coefficientOfVariation"))
                .isCloseTo(Math.sqrt(5.0 / 3) / 2.5, within(1e-9));
        // n = 2 · 0.266667 · 2.801585² / 0.5² = 16.74 → 17 per variant for +50 %
        assertThat(JsonPath.<Integer>read(json, "$.metrics[0].usersNeededPerVariant"))
                .isEqualTo(17);
        long perVariant = ((Number) JsonPath.read(json, "$.usersPerVariant")).longValue();
        assertThat(JsonPath.<Double>read(json, "$.metrics[0].minimumDetectableEffect"))
                .isCloseTo(PowerPlanning.mde(Math.sqrt(5.0 / 3) / 2.5, perVariant, 0.05, 0.8), within(1e-9));
        assertThat(JsonPath.<Double>read(json, "$.metrics[0].minimumDetectableEffectSequential"))
                .isGreaterThan(JsonPath.<Double>read(json, "$.metrics[0].minimumDetectableEffect"));
    }

    @Test
    void refusalsNameTheFieldAndTheRule() {
        MvcTestResult empty = plan("{\"surface\": \"" + surface + "\", \"duration\": \"P14D\", \"trafficShare\": 0.1}");
        assertThat(empty).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(violations(empty)).containsExactly("surface has-events");

        MvcTestResult bad = plan("{\"surface\": \"" + surface + "\", \"metrics\": [\"p99_latency_ms\"],"
                + " \"duration\": \"P100D\", \"trafficShare\": 0, \"targetLift\": 0, \"power\": 0.3}");
        assertThat(bad).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(violations(bad))
                .containsExactlyInAnyOrder(
                        "metrics[0] one-of", "duration range", "trafficShare range", "targetLift range", "power range");

        MvcTestResult missing = plan("{\"surface\": \"no-such-surface\"}");
        assertThat(violations(missing))
                .containsExactlyInAnyOrder("surface exists", "duration required", "trafficShare required");
    }

    private static List<String> violations(MvcTestResult result) {
        List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
        return errors.stream().map(e -> e.get("field") + " " + e.get("rule")).toList();
    }
}
