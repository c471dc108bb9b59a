package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.rollout.internal.RampSupervisor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@FulcrumSpringTest
class RampSupervisorTests {

    private static final String GUARD_WATCH_TIME =
            "[{\"metric\": \"watch_time_per_user\", \"maxRelativeDrop\": 0.02, \"alpha\": 0.05}]";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog log;

    @Autowired
    RampSupervisor supervisor;

    EventFixtures fx;

    @BeforeEach
    void setUp() {
        fx = new EventFixtures(jdbc);
    }

    @Test
    void aStepThatLastedItsMinimumDurationAdvancesWhenGuardrailsHold() {
        long id = fx.experiment(
                "RUNNING",
                "[{\"percent\": 10, \"minDuration\": \"PT0S\"}, {\"percent\": 100}]",
                0,
                GUARD_WATCH_TIME,
                List.of("control", "ple"),
                List.of(5_000, 5_000));
        startStep(id);

        supervisor.check(id);

        assertThat(step(id)).isEqualTo(1);
        Map<String, Object> audit = lastAudit(id);
        assertThat(audit).containsEntry("action", "ramp-advanced").containsEntry("actor", RampSupervisor.ACTOR);
        assertThat((String) audit.get("reason")).contains("step 1 (10 %)").contains("every guardrail holds");
        AuditTrail.Row logged = new AuditTrail(jdbc).single("ab-experiment/" + id, "ab-experiment.advance");
        assertThat(logged.actor()).isEqualTo("ramp-controller");
        assertThat(logged.detail()).isEqualTo(audit.get("reason"));
        assertThat(logged.before().get("rampStep").asInt()).isZero();
        assertThat(logged.after().get("rampStep").asInt()).isEqualTo(1);

        supervisor.check(id); // at the last step: stays
        assertThat(step(id)).isEqualTo(1);
    }

    @Test
    void aStepWaitsForItsMinimumDuration() {
        long id = fx.experiment(
                "RUNNING",
                "[{\"percent\": 10, \"minDuration\": \"PT1H\"}, {\"percent\": 100}]",
                0,
                "[]",
                List.of("control", "ple"),
                List.of(5_000, 5_000));
        startStep(id);

        supervisor.check(id);

        assertThat(step(id)).isZero();
        assertThat(jdbc.queryForObject("SELECT state FROM ab_experiment WHERE id = ?", String.class, id))
                .isEqualTo("RUNNING");
    }

    @Test
    void aBreachedGuardrailRollsTheExperimentBackAndSaysWhy() {
        long id = fx.experiment(
                "RUNNING",
                "[{\"percent\": 10, \"minDuration\": \"PT0S\"}, {\"percent\": 100}]",
                0,
                GUARD_WATCH_TIME,
                List.of("control", "ple"),
                List.of(5_000, 5_000));
        startStep(id);
        // 150 users each; the treatment's users watch half as long
        List<EventRecord> events = new ArrayList<>();
        for (int u = 0; u < 150; u++) {
            watched(events, id, "control", "c" + id + "-" + u, 100 + u % 10);
            watched(events, id, "ple", "t" + id + "-" + u, 50 + u % 10);
        }
        log.append(events);

        supervisor.check(id);

        assertThat(jdbc.queryForObject("SELECT state FROM ab_experiment WHERE id = ?", String.class, id))
                .isEqualTo("ROLLED_BACK");
        assertThat(step(id)).as("a breach never advances the ramp").isZero();
        Map<String, Object> audit = lastAudit(id);
        assertThat(audit).containsEntry("action", "rolled-back").containsEntry("actor", RampSupervisor.ACTOR);
        assertThat((String) audit.get("reason"))
                .startsWith("guardrail breached: ")
                .contains("watch_time_per_user")
                .contains("ple");
        assertThat(jdbc.queryForObject("SELECT outcome_reason FROM ab_experiment WHERE id = ?", String.class, id))
                .isEqualTo(audit.get("reason"));
        AuditTrail.Row logged = new AuditTrail(jdbc).single("ab-experiment/" + id, "ab-experiment.rollback");
        assertThat(logged.actor()).isEqualTo("ramp-controller");
        assertThat(logged.detail()).startsWith("guardrail breached: ");
        assertThat(logged.before().get("state").asString()).isEqualTo("RUNNING");
        assertThat(logged.after().get("state").asString()).isEqualTo("ROLLED_BACK");
    }

    private void watched(List<EventRecord> events, long experiment, String variant, String user, double seconds) {
        UUID request = fx.rankRequest(experiment, variant, user, 5_000);
        Instant now = Instant.now();
        events.add(EventFixtures.event(request + ":1", EventType.EXPOSURE, user, request, null, now));
        events.add(EventFixtures.event(request + ":w", EventType.WATCH_TIME, user, request, seconds, now));
    }

    private void startStep(long id) {
        jdbc.update("UPDATE ab_experiment SET ramp_step_started_at = now() - interval '1 second' WHERE id = ?", id);
    }

    private int step(long id) {
        return jdbc.queryForObject("SELECT ramp_step FROM ab_experiment WHERE id = ?", Integer.class, id);
    }

    private Map<String, Object> lastAudit(long id) {
        return jdbc.queryForMap(
                "SELECT action, actor, reason FROM ab_experiment_audit WHERE experiment_id = ? ORDER BY id DESC LIMIT 1",
                id);
    }
}
