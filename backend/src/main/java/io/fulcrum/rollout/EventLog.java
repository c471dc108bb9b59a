package io.fulcrum.rollout;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Appends events to the day-partitioned event table exactly once per event id: one statement claims
 * the ids in {@code ab_event_key} ({@code ON CONFLICT DO NOTHING}) and inserts only the events whose
 * id it claimed, attributed through {@code rank_request} to an experiment and variant. A concurrent
 * post of the same id waits for the first one's commit and then inserts nothing.
 */
@Component
public class EventLog {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    /**
     * The CTE {@code fresh}: the ids of CTE {@code input(event_id, ord)} that no event has claimed
     * before, claimed now in input order. Every writer of events claims through it, so an id counts once.
     */
    public static final String CLAIM_IDS = """
            fresh AS (
                INSERT INTO ab_event_key (event_id, received_at)
                SELECT event_id, now() FROM input ORDER BY ord
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
            )
            """;

    // Duplicates inside the batch keep their first occurrence; ids are claimed in the order the caller
    // gave them, so callers that sort their ids take row locks in one global order and cannot deadlock.
    private static final String APPEND = """
            WITH input AS (
                SELECT DISTINCT ON (event_id) *
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::uuid[], ?::float8[],
                            ?::timestamptz[]) WITH ORDINALITY
                     AS t(event_id, type, user_id, item_id, request_id, value, occurred_at, ord)
                ORDER BY event_id, ord
            ), """ + CLAIM_IDS + """
            INSERT INTO ab_event (event_id, type, user_id, item_id, request_id, experiment_id, variant, value,
                                  occurred_at, received_at)
            SELECT i.event_id, i.type, i.user_id, i.item_id, i.request_id, r.experiment_id, r.variant, i.value,
                   i.occurred_at, now()
            FROM input i
            JOIN fresh f ON f.event_id = i.event_id
            LEFT JOIN rank_request r ON r.request_id = i.request_id
            """;

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

    EventLog(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Appends the events in the caller's transaction (if any) and returns how many were new; events
     * whose id was seen before are skipped. Day partitions are created first, in their own
     * transactions, so a rolled-back append leaves at most an empty partition behind.
     */
    public int append(List<EventRecord> events) {
        if (events.isEmpty()) {
            return 0;
        }
        ensurePartitions(events);
        Integer inserted = jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(APPEND)) {
                int n = events.size();
                String[] ids = new String[n];
                String[] types = new String[n];
                String[] users = new String[n];
                String[] items = new String[n];
                Object[] requests = new Object[n];
                Double[] values = new Double[n];
                Timestamp[] times = new Timestamp[n];
                for (int i = 0; i < n; i++) {
                    EventRecord e = events.get(i);
                    ids[i] = e.eventId();
                    types[i] = e.type().wire();
                    users[i] = e.userId();
                    items[i] = e.itemId();
                    requests[i] = e.requestId();
                    values[i] = e.value();
                    times[i] = Timestamp.from(e.occurredAt());
                }
                ps.setArray(1, array(c, "varchar", ids));
                ps.setArray(2, array(c, "varchar", types));
                ps.setArray(3, array(c, "varchar", users));
                ps.setArray(4, array(c, "varchar", items));
                ps.setArray(5, array(c, "uuid", requests));
                ps.setArray(6, array(c, "float8", values));
                ps.setArray(7, array(c, "timestamptz", times));
                return ps.executeUpdate();
            }
        });
        return inserted == null ? 0 : inserted;
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    /**
     * Creates the missing day partitions of these events. {@link #append} calls it too; callers that
     * append inside a transaction of their own call it first, so that the partitions' own connections
     * are not taken while the transaction holds one.
     */
    public void ensurePartitions(List<EventRecord> events) {
        Set<LocalDate> days = new TreeSet<>();
        for (EventRecord e : events) {
            days.add(LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC));
        }
        days.forEach(this::ensureDay);
    }

    /** {@link #ensurePartitions} for one instant. */
    public void ensurePartition(Instant at) {
        ensureDay(LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    private void ensureDay(LocalDate day) {
        if (!partitions.contains(day)) {
            createPartition(day);
            partitions.add(day);
        }
    }

    /**
     * Creates the day's partition if no one has, on a connection of its own: the caller may be inside
     * a transaction that must not be committed here. The advisory lock serialises concurrent creators.
     */
    private void createPartition(LocalDate day) {
        String table = "ab_event_" + SUFFIX.format(day);
        String from = day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        String to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(hashtext('ab_event_partitions'))");
                st.execute("CREATE TABLE IF NOT EXISTS " + table + " PARTITION OF ab_event FOR VALUES FROM ('" + from
                        + "') TO ('" + to + "')");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create event partition " + table, e);
        }
    }

    /** The day partitions that exist now, oldest first (for retention and the docs). */
    public List<String> partitionTables() {
        return jdbc.queryForList(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'ab_event' ORDER BY c.relname",
                String.class);
    }
}
