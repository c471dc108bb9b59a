package io.fulcrum.rollout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows the event and results tests need, written with SQL as the ranking endpoint and the experiment
 * API would write them: a surface (which needs only a model name), an experiment with its variants,
 * and rank requests that attribute events to a variant.
 */
final class EventFixtures {

    private final JdbcTemplate jdbc;

    EventFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new surface of its own, so that its experiment may run without clashing with other tests. */
    long surface() {
        return jdbc.queryForObject(
                "INSERT INTO surface (name, model_name, scoring, created_at, updated_at)"
                        + " VALUES (?, 'video', '{\"exponents\": {}, \"lengthTransform\": {\"type\": \"none\"}}', now(), now())"
                        + " RETURNING id",
                Long.class,
                "s-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * An experiment on a new surface with variants of the given allocations; the first is the
     * control, the others are named as given.
     */
    long experiment(
            String state, String rampPlan, int rampStep, String guardrails, List<String> variants, List<Integer> bps) {
        long surface = surface();
        long id = jdbc.queryForObject(
                "INSERT INTO ab_experiment (name, surface_id, state, salt, target_metric, guardrails, ramp_plan, ramp_step,"
                        + " created_by, created_at, updated_at, started_at)"
                        + " VALUES ('results', ?, ?, 'salt', 'watch_time_per_user', ?::jsonb, ?::jsonb, ?, 'test', now(),"
                        + " now(), now()) RETURNING id",
                Long.class,
                surface,
                state,
                guardrails,
                rampPlan,
                rampStep);
        for (int i = 0; i < variants.size(); i++) {
            jdbc.update(
                    "INSERT INTO ab_variant (experiment_id, name, position, control, model_version, scoring, allocation_bps)"
                            + " VALUES (?, ?, ?, ?, ?, '{\"exponents\": {}, \"lengthTransform\": {\"type\": \"none\"}}', ?)",
                    id,
                    variants.get(i),
                    i,
                    i == 0,
                    i + 1,
                    bps.get(i));
        }
        return id;
    }

    /** A ranking request of {@code user} served by {@code variant} of the experiment (null: none). */
    UUID rankRequest(Long experiment, String variant, String user, int latencyMicros) {
        UUID request = UUID.randomUUID();
        long surface = experiment == null
                ? surface()
                : jdbc.queryForObject("SELECT surface_id FROM ab_experiment WHERE id = ?", Long.class, experiment);
        jdbc.update(
                "INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name, model_version,"
                        + " candidates, returned, oov_values, latency_micros, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, 'video', 1, 10, 10, 0, ?, ?)",
                request,
                surface,
                experiment,
                variant,
                user,
                latencyMicros,
                Timestamp.from(Instant.now()));
        return request;
    }

    static EventRecord event(String id, EventType type, String user, UUID request, Double value, Instant at) {
        return new EventRecord(id, type, user, "v-1", request, value, at);
    }
}
