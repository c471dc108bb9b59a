package io.fulcrum.worker;

import io.fulcrum.experiment.LiveWorkers;
import io.fulcrum.experiment.RunQueue;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.Json;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

/**
 * The worker table: registration, heartbeats, draining, and the list the API shows. A worker whose
 * heartbeat is older than the lease is LOST; that is derived when read, so no process has to notice.
 */
@Service
public class WorkerRegistry implements LiveWorkers {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** A heartbeat within the last lease (the lease in seconds is the statement's parameter). */
    private static final String FRESH = "heartbeat_at > now() - make_interval(secs => ?)";

    private final JdbcTemplate jdbc;
    private final Duration lease;
    private final AuditLog audit;
    private final RunQueue runQueue;

    WorkerRegistry(JdbcTemplate jdbc, WorkerProperties properties, AuditLog audit, RunQueue runQueue) {
        this.runQueue = runQueue;
        this.jdbc = jdbc;
        this.lease = properties.lease();
        this.audit = audit;
    }

    long register(String name, Capabilities caps, List<String> labels, int concurrency, String version) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                con -> {
                    var ps = con.prepareStatement(
                            "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, gpu_names,"
                                    + " labels, concurrency, engine, warning, state, started_at, heartbeat_at)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, 'ACTIVE', now(), now())",
                            new String[] {"id"});
                    ps.setString(1, name);
                    ps.setString(2, caps.host());
                    ps.setString(3, version);
                    ps.setInt(4, caps.cpuCores());
                    ps.setLong(5, caps.memoryBytes());
                    ps.setInt(6, caps.gpuCount());
                    ps.setString(7, Json.MAPPER.writeValueAsString(caps.gpuNames()));
                    ps.setString(8, Json.MAPPER.writeValueAsString(labels));
                    ps.setInt(9, concurrency);
                    ps.setString(10, caps.engine());
                    ps.setString(11, caps.warning());
                    return ps;
                },
                keys);
        return keys.getKey().longValue();
    }

    /** Records a heartbeat and answers the state an operator may have changed (DRAINING). */
    WorkerState heartbeat(long id) {
        List<String> state = jdbc.queryForList(
                "UPDATE worker SET heartbeat_at = now() WHERE id = ? RETURNING state", String.class, id);
        return state.isEmpty() ? WorkerState.STOPPED : WorkerState.valueOf(state.get(0));
    }

    void stopped(long id) {
        jdbc.update("UPDATE worker SET state = 'STOPPED', stopped_at = now() WHERE id = ?", id);
    }

    /** Lets the worker finish its runs and take nothing new; draining a DRAINING worker changes nothing. */
    @Transactional
    public WorkerView drain(long id) {
        WorkerView worker = get(id);
        if (worker.state() == WorkerState.STOPPED || worker.state() == WorkerState.LOST) {
            throw new ConflictException("Worker " + id + " is " + worker.state() + " and cannot be drained");
        }
        int changed = jdbc.update("UPDATE worker SET state = 'DRAINING' WHERE id = ? AND state = 'ACTIVE'", id);
        WorkerView after = get(id);
        if (changed > 0) {
            audit.record(
                    "worker.drain",
                    "worker/" + id,
                    worker.name(),
                    Map.of("state", worker.state()),
                    Map.of("state", after.state()));
        }
        return after;
    }

    @Override
    public List<Capacity> accepting() {
        return jdbc.query(
                "SELECT id, name, gpu_count, labels FROM worker WHERE state = 'ACTIVE'" + " AND " + FRESH,
                (rs, i) -> new Capacity(
                        rs.getLong(1), rs.getString(2), rs.getInt(3), Json.MAPPER.readValue(rs.getString(4), STRINGS)),
                seconds());
    }

    @Override
    public Load load() {
        List<Long> live = jdbc.queryForList(
                "SELECT id FROM worker w WHERE w.state <> 'STOPPED' AND " + FRESH, Long.class, seconds());
        return new Load(live.size(), runQueue.runningOn(live).size());
    }

    public WorkerView get(long id) {
        List<WorkerView> found = query(" WHERE w.id = ?", List.of(id));
        if (found.isEmpty()) {
            throw new NotFoundException("Worker", id);
        }
        return found.get(0);
    }

    /** Workers newest first; stopped ones only when asked for. */
    public PageResponse<WorkerView> list(boolean includeStopped, int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        String where = includeStopped ? "" : " WHERE w.state <> 'STOPPED'";
        long total = jdbc.queryForObject("SELECT count(*) FROM worker w" + where, Long.class);
        List<WorkerView> items = query(
                where + " ORDER BY w.id DESC LIMIT ? OFFSET ?", List.of(request.getPageSize(), request.getOffset()));
        return PageResponse.of(items, request, total);
    }

    private List<WorkerView> query(String tail, List<Object> args) {
        List<Object> all = new ArrayList<>();
        all.add(seconds());
        all.addAll(args);
        List<WorkerView> workers = jdbc.query(
                "SELECT w.*, extract(epoch FROM now() - w.heartbeat_at) AS age,"
                        + " w.heartbeat_at < now() - make_interval(secs => ?) AS lost FROM worker w" + tail,
                this::map,
                all.toArray());
        Map<Long, List<Long>> running =
                runQueue.runningOn(workers.stream().map(WorkerView::id).toList());
        return workers.stream()
                .map(w -> w.withCurrentRuns(running.getOrDefault(w.id(), List.of())))
                .toList();
    }

    private WorkerView map(ResultSet rs, int row) throws SQLException {
        WorkerState state = WorkerState.valueOf(rs.getString("state"));
        if (state != WorkerState.STOPPED && rs.getBoolean("lost")) {
            state = WorkerState.LOST;
        }
        return new WorkerView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("host"),
                rs.getString("version"),
                rs.getInt("cpu_cores"),
                rs.getLong("memory_bytes"),
                rs.getInt("gpu_count"),
                Json.MAPPER.readValue(rs.getString("gpu_names"), STRINGS),
                Json.MAPPER.readValue(rs.getString("labels"), STRINGS),
                rs.getInt("concurrency"),
                rs.getString("engine"),
                rs.getString("warning"),
                state,
                instant(rs, "started_at"),
                instant(rs, "heartbeat_at"),
                Math.round(rs.getDouble("age") * 10) / 10.0,
                List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        var t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private double seconds() {
        return lease.toMillis() / 1000.0;
    }
}
