package io.fulcrum.rollout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records an answered ranking: the {@code rank_request} row (what served it, how fast) and one
 * {@code exposure} event per returned item, in one transaction, so a request is logged whole or not
 * at all. The exposures are attributed to the request's experiment and variant through the row.
 * Unless {@code fulcrum.serving.durable-log} is set, the commit does not wait for the disk: a crash
 * can lose the rankings of the last fraction of a second (each whole), never half of one.
 */
@Component
class RankLog {

    private final JdbcTemplate jdbc;
    private final EventLog events;
    private final boolean durable;

    RankLog(JdbcTemplate jdbc, EventLog events, ServingProperties properties) {
        this.jdbc = jdbc;
        this.events = events;
        this.durable = properties.durableLog();
    }

    @Transactional
    public void record(
            UUID requestId,
            Route route,
            String userId,
            int candidates,
            List<String> returnedItems,
            int oovValues,
            long latencyMicros,
            Instant at) {
        // unless durable, the answer need not wait for the WAL flush: a crash may lose the last moment's
        // rankings, each whole; set_config inside the insert saves a round trip of its own
        jdbc.update(
                "INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,"
                        + " model_version, candidates, returned, oov_values, latency_micros, created_at)"
                        + " SELECT ?::uuid, ?::bigint, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::int, ?::int,"
                        + " ?::int, ?::int, ?::int, ?::timestamptz"
                        + " FROM (SELECT set_config('synchronous_commit', ?, true)) AS commit_mode",
                requestId,
                route.surfaceId(),
                route.experimentId(),
                route.variant(),
                userId,
                route.modelName(),
                route.modelVersion(),
                candidates,
                returnedItems.size(),
                oovValues,
                (int) Math.min(Integer.MAX_VALUE, latencyMicros),
                Timestamp.from(at),
                durable ? "on" : "off");
        List<EventRecord> exposures = new ArrayList<>(returnedItems.size());
        for (int i = 0; i < returnedItems.size(); i++) {
            exposures.add(new EventRecord(
                    exposureId(requestId, i + 1),
                    EventType.EXPOSURE,
                    userId,
                    returnedItems.get(i),
                    requestId,
                    null,
                    at));
        }
        events.append(exposures);
    }

    /** The exposure event of the item ranked {@code rank} (from 1) by a request. */
    static String exposureId(UUID requestId, int rank) {
        return requestId + ":" + rank;
    }
}
