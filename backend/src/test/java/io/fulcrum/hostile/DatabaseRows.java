package io.fulcrum.hostile;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/** The number of rows of every table, to prove that a refused request stored nothing. */
final class DatabaseRows {

    /**
     * Tables that background work may grow while a test runs (worker heartbeats, training of runs that
     * earlier test classes queued, their checkpoints); no create endpoint writes them directly.
     */
    private static final List<String> BACKGROUND =
            List.of("flyway_schema_history", "worker", "run_metric", "artifact", "artifact_chunk");

    private DatabaseRows() {}

    static Map<String, Long> count(JdbcTemplate jdbc) {
        List<String> tables = jdbc.queryForList(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename", String.class);
        String sql = tables.stream()
                .filter(t -> !BACKGROUND.contains(t))
                .map(t -> "SELECT '" + t + "' AS name, count(*) AS n FROM \"" + t + "\"")
                .collect(Collectors.joining(" UNION ALL "));
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(sql, rs -> {
            counts.put(rs.getString("name"), rs.getLong("n"));
        });
        return counts;
    }
}
