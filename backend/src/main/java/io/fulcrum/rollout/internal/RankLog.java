package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.EventLog;
import io.fulcrum.rollout.Route;
import io.fulcrum.rollout.ServingProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records an answered ranking: the {@code rank_request} row (what served it, how fast) and one
 * {@code exposure} event per returned item, in one statement, so a request is logged whole or not at
 * all and costs the server one round trip to PostgreSQL. The exposures carry the request's experiment
 * and variant directly, and claim their ids in {@code ab_event_key} like every other event, so a
 * client re-posting an exposure id later is still counted once. Unless {@code
 * fulcrum.serving.durable-log} is set, the commit does not wait for the disk: a crash can lose the
 * rankings of the last fraction of a second (each whole), never half of one.
 */
@Component
public class RankLog {

    // the first CTE sets the commit mode for this statement's own transaction (autocommit), which
    // saves a round trip; data-modifying CTEs all run, and in the order the rows need
    private static final String RECORD = """
            WITH commit_mode AS (
                SELECT set_config('synchronous_commit', ?, true)
            ), request AS (
                INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,
                                          model_version, candidates, returned, oov_values, latency_micros, created_at)
                SELECT ?::uuid, ?::bigint, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::int, ?::int, ?::int,
                       ?::int, ?::int, ?::timestamptz
                FROM commit_mode
                RETURNING request_id, experiment_id, variant, user_id, created_at
            ), input AS (
                SELECT * FROM unnest(?::varchar[], ?::varchar[]) WITH ORDINALITY AS t(event_id, item_id, ord)
            ), """ + EventLog.CLAIM_IDS + """
            INSERT INTO ab_event (event_id, type, user_id, item_id, request_id, experiment_id, variant, value,
                                  occurred_at, received_at)
            SELECT i.event_id, 'exposure', r.user_id, i.item_id, r.request_id, r.experiment_id, r.variant, NULL,
                   r.created_at, now()
            FROM input i
            JOIN fresh f ON f.event_id = i.event_id
            CROSS JOIN request r
            """;

    private final JdbcTemplate jdbc;
    private final EventLog events;
    private final boolean durable;

    RankLog(JdbcTemplate jdbc, EventLog events, ServingProperties properties) {
        this.jdbc = jdbc;
        this.events = events;
        this.durable = properties.durableLog();
    }

    public void record(
            UUID requestId,
            Route route,
            String userId,
            int candidates,
            List<String> returnedItems,
            int oovValues,
            long latencyMicros,
            Instant at) {
        events.ensurePartition(at);
        int n = returnedItems.size();
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = exposureId(requestId, i + 1);
        }
        String[] items = returnedItems.toArray(new String[0]);
        jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                int p = 1;
                ps.setString(p++, durable ? "on" : "off");
                ps.setObject(p++, requestId);
                ps.setLong(p++, route.surfaceId());
                ps.setObject(p++, route.experimentId());
                ps.setString(p++, route.variant());
                ps.setString(p++, userId);
                ps.setString(p++, route.modelName());
                ps.setInt(p++, route.modelVersion());
                ps.setInt(p++, candidates);
                ps.setInt(p++, n);
                ps.setInt(p++, oovValues);
                ps.setInt(p++, (int) Math.min(Integer.MAX_VALUE, latencyMicros));
                ps.setTimestamp(p++, Timestamp.from(at));
                ps.setArray(p++, c.createArrayOf("varchar", ids));
                ps.setArray(p, c.createArrayOf("varchar", items));
                return ps.executeUpdate();
            }
        });
    }

    /** The exposure event of the item ranked {@code rank} (from 1) by a request. */
    public static String exposureId(UUID requestId, int rank) {
        return requestId + ":" + rank;
    }
}
