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
 */
@Component
class RankLog {

    private final JdbcTemplate jdbc;
    private final EventLog events;

    RankLog(JdbcTemplate jdbc, EventLog events) {
        this.jdbc = jdbc;
        this.events = events;
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
        jdbc.update(
                "INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,"
                        + " model_version, candidates, returned, oov_values, latency_micros, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                Timestamp.from(at));
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
