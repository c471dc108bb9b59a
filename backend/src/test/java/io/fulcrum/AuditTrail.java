package io.fulcrum;

import io.fulcrum.system.Json;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Reads the audit log straight from its table, so that a test sees what a change really left
 * behind. Tests share one database: each acts as an actor of its own ({@link #actor}) and looks up
 * the rows of its own targets.
 */
public final class AuditTrail {

    /** One audit row, its snapshots parsed; {@code before}/{@code after} are null where none was kept. */
    public record Row(
            long id, String actor, String action, String target, String detail, JsonNode before, JsonNode after) {}

    private static final String COLUMNS =
            "SELECT id, actor, action, target, detail, before::text, after::text FROM audit_log";

    private final JdbcTemplate jdbc;

    public AuditTrail(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A user name no other test uses. */
    public static String actor(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every row about the target, oldest first. */
    public List<Row> of(String target) {
        return jdbc.query(COLUMNS + " WHERE target = ? ORDER BY id", AuditTrail::row, target);
    }

    /** Every row of the actor, oldest first. */
    public List<Row> by(String actor) {
        return jdbc.query(COLUMNS + " WHERE actor = ? ORDER BY id", AuditTrail::row, actor);
    }

    /** The rows about the target with that action, oldest first. */
    public List<Row> of(String target, String action) {
        return jdbc.query(COLUMNS + " WHERE target = ? AND action = ? ORDER BY id", AuditTrail::row, target, action);
    }

    /** The only row about the target with that action; fails when there is none or more than one. */
    public Row single(String target, String action) {
        List<Row> rows = of(target, action);
        if (rows.size() != 1) {
            throw new AssertionError("expected one '" + action + "' row for " + target + ", found " + rows);
        }
        return rows.get(0);
    }

    private static Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Row(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                parse(rs.getString(6)),
                parse(rs.getString(7)));
    }

    private static JsonNode parse(String json) {
        return json == null ? null : Json.MAPPER.readTree(json);
    }
}
