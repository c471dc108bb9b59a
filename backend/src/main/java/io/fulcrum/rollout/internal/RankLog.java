package io.fulcrum.rollout.internal;

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
 * Records an answered ranking: the {@code rank_request} row (what served it, how fast) in the request,
 * so that the client's events, whenever they arrive, are attributed through it to an experiment and
 * variant; the exposure event of each returned item goes to the {@link ExposureLog}, which writes them
 * in batches off the request path. Unless {@code fulcrum.serving.durable-log} is set, neither commit
 * waits for the disk: a crash can lose the rankings of the last fraction of a second.
 */
@Component
public class RankLog {

    // the first CTE sets the commit mode for this statement's own transaction (autocommit), which
    // saves a round trip
    private static final String RECORD = """
            WITH commit_mode AS (
                SELECT set_config('synchronous_commit', ?, true)
            )
            INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,
                                      model_version, candidates, returned, oov_values, latency_micros, created_at)
            SELECT ?::uuid, ?::bigint, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::int, ?::int, ?::int,
                   ?::int, ?::int, ?::timestamptz
            FROM commit_mode
            """;

    private final JdbcTemplate jdbc;
    private final ExposureLog exposures;
    private final boolean durable;

    RankLog(JdbcTemplate jdbc, ExposureLog exposures, ServingProperties properties) {
        this.jdbc = jdbc;
        this.exposures = exposures;
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
        int n = returnedItems.size();
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
                ps.setTimestamp(p, Timestamp.from(at));
                return ps.executeUpdate();
            }
        });
        exposures.add(new ExposureLog.Ranked(
                requestId, route.experimentId(), route.variant(), userId, at, List.copyOf(returnedItems)));
    }

    /** The exposure event of the item ranked {@code rank} (from 1) by a request. */
    public static String exposureId(UUID requestId, int rank) {
        return requestId + ":" + rank;
    }
}
