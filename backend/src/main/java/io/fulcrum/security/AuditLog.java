package io.fulcrum.security;

import io.fulcrum.system.Actors;
import io.fulcrum.system.Json;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * The audit log: who changed what and when. A record joins the caller's transaction, so a change
 * that rolls back leaves no audit row, and a change that commits always has one.
 */
@Service
public class AuditLog {

    static final int MAX_DETAIL = 2000;
    static final int MAX_TARGET = 200;

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a change made by the current actor.
     *
     * @param action what was done, e.g. {@code run.create}
     * @param target what it was done to, e.g. {@code run/42}
     * @param detail why or anything else worth keeping; may be null
     * @param before the target before the change (serialised to JSON); may be null
     * @param after the target after the change; may be null
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String target, String detail, Object before, Object after) {
        recordAs(Actors.current(), action, target, detail, before, after);
    }

    /** Records a change made by a named actor, for background work that has no signed-in user. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordAs(String actor, String action, String target, String detail, Object before, Object after) {
        jdbc.sql("INSERT INTO audit_log (at, actor, action, target, detail, before, after)"
                        + " VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))")
                .params(
                        OffsetDateTime.now(clock),
                        truncate(actor, 100),
                        truncate(action, 100),
                        truncate(target, MAX_TARGET),
                        detail == null ? null : truncate(detail, MAX_DETAIL),
                        json(before),
                        json(after))
                .update();
    }

    /**
     * The newest entries first, optionally of one actor, one action prefix or one target.
     *
     * @throws io.fulcrum.system.InvalidInputException naming {@code page} or {@code size} when out of range
     */
    @Transactional(readOnly = true)
    public PageResponse<AuditEntry> list(String actor, String action, String target, int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (actor != null && !actor.isBlank()) {
            where.append(" AND actor = ?");
            params.add(actor.strip());
        }
        if (action != null && !action.isBlank()) {
            where.append(" AND action LIKE ? ESCAPE '\\'");
            params.add(escapeLike(action.strip()) + "%");
        }
        if (target != null && !target.isBlank()) {
            where.append(" AND target = ?");
            params.add(target.strip());
        }
        long total = jdbc.sql("SELECT count(*) FROM audit_log" + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(request.getPageSize());
        pageParams.add(request.getOffset());
        List<AuditEntry> items = jdbc.sql("SELECT id, at, actor, action, target, detail, before::text AS before,"
                        + " after::text AS after FROM audit_log" + where
                        + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")
                .params(pageParams)
                .query(AuditLog::map)
                .list();
        return PageResponse.of(items, request, total);
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof JsonNode node ? node.toString() : Json.MAPPER.writeValueAsString(value);
    }

    private static String truncate(String value, int max) {
        String text = value == null ? "" : value;
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        String before = rs.getString("before");
        String after = rs.getString("after");
        return new AuditEntry(
                rs.getLong("id"),
                rs.getObject("at", OffsetDateTime.class),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("detail"),
                before == null ? null : Json.MAPPER.readTree(before),
                after == null ? null : Json.MAPPER.readTree(after));
    }
}
