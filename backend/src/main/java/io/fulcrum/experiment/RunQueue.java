package io.fulcrum.experiment;

import io.fulcrum.experiment.internal.RunStore;
import io.fulcrum.system.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;

/**
 * The run queue in PostgreSQL, as worker nodes use it. A worker claims the best queued run it can
 * serve with one {@code FOR UPDATE SKIP LOCKED} statement and holds it under a lease that its
 * heartbeat renews. Every later transition names the lease (run and attempt), so a worker that lost
 * its lease (its run was requeued and claimed again) can no longer change the run.
 */
@Service
public class RunQueue {

    /** What a worker offers: its GPUs and labels. */
    public record WorkerSlot(long workerId, int gpuCount, List<String> labels) {}

    /** One claim of one run; the attempt number tells claims of the same run apart. */
    public record Lease(long runId, int attempt) {}

    /** The channel a new or requeued run is announced on (PostgreSQL NOTIFY). */
    public static final String QUEUE_CHANNEL = "fulcrum_run_queued";

    /** The channel a cancellation request is announced on, with the run id as payload. */
    public static final String CANCEL_CHANNEL = "fulcrum_run_cancel";

    private static final String OWNED = " WHERE id = ? AND attempt = ? AND state = 'RUNNING'";

    private final JdbcTemplate jdbc;
    private final RunStore runs;

    RunQueue(JdbcTemplate jdbc, RunStore runs) {
        this.jdbc = jdbc;
        this.runs = runs;
    }

    /** Leases the queued run this worker should take next (priority first, then oldest), if any. */
    public Optional<Lease> claim(WorkerSlot slot, Duration lease) {
        List<Lease> claimed = jdbc.query(
                "UPDATE run r SET state = 'RUNNING', worker_id = ?, attempt = r.attempt + 1,"
                        + " lease_expires_at = now() + make_interval(secs => ?), reason = NULL,"
                        + " started_at = COALESCE(r.started_at, now()), version = r.version + 1"
                        + " WHERE r.id = (SELECT id FROM run WHERE state = 'QUEUED'"
                        + "   AND (device = 'cpu' OR gpu_count <= ?) AND worker_labels <@ ?::jsonb"
                        + "   ORDER BY priority DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING r.id, r.attempt",
                (rs, i) -> new Lease(rs.getLong(1), rs.getInt(2)),
                slot.workerId(),
                (double) lease.toMillis() / 1000.0,
                slot.gpuCount(),
                RunStore.json(slot.labels()));
        return claimed.stream().findFirst();
    }

    /**
     * The RUNNING runs of each of these workers, ids ascending; a worker without one is absent. What
     * the worker registry shows as a worker's current runs and counts as its load, so that the run
     * table is read by its own module only.
     */
    public Map<Long, List<Long>> runningOn(Collection<Long> workerIds) {
        Map<Long, List<Long>> byWorker = new LinkedHashMap<>();
        if (workerIds.isEmpty()) {
            return byWorker;
        }
        jdbc.query(
                "SELECT worker_id, id FROM run WHERE state = 'RUNNING' AND worker_id = ANY (?) ORDER BY worker_id, id",
                rs -> {
                    byWorker.computeIfAbsent(rs.getLong(1), w -> new ArrayList<>())
                            .add(rs.getLong(2));
                },
                (Object) workerIds.toArray(Long[]::new));
        return byWorker;
    }

    /** The run a lease refers to, with everything needed to train it. */
    public RunRecord run(long id) {
        return runs.find(id).orElseThrow(() -> new IllegalStateException("run " + id + " vanished"));
    }

    /** Extends the leases this worker still holds; returns the runs it holds, so it can drop the others. */
    public List<Long> renew(long workerId, Collection<Lease> leases, Duration lease) {
        if (leases.isEmpty()) {
            return List.of();
        }
        Long[] ids = leases.stream().map(Lease::runId).toArray(Long[]::new);
        return jdbc.queryForList(
                "UPDATE run SET lease_expires_at = now() + make_interval(secs => ?)"
                        + " WHERE worker_id = ? AND state = 'RUNNING' AND id = ANY(?) RETURNING id",
                Long.class,
                (double) lease.toMillis() / 1000.0,
                workerId,
                ids);
    }

    /** Runs of this worker whose cancellation someone asked for. */
    public List<Long> cancelRequested(long workerId) {
        return jdbc.queryForList(
                "SELECT id FROM run WHERE worker_id = ? AND state = 'RUNNING' AND cancel_requested",
                Long.class,
                workerId);
    }

    /** Records that the epoch's checkpoint is stored under {@code key}; false if the lease is gone. */
    public boolean checkpointed(Lease lease, int epoch, String key) {
        return jdbc.update(
                        "UPDATE run SET checkpoint_epoch = ?, checkpoint_key = ?" + OWNED,
                        epoch,
                        key,
                        lease.runId(),
                        lease.attempt())
                == 1;
    }

    public boolean succeeded(Lease lease, RunResult result, String modelKey) {
        return jdbc.update(
                        "UPDATE run SET state = 'SUCCEEDED', result = ?::jsonb, model_key = ?, reason = NULL,"
                                + " finished_at = now(), lease_expires_at = NULL, version = version + 1" + OWNED,
                        RunStore.json(result),
                        modelKey,
                        lease.runId(),
                        lease.attempt())
                == 1;
    }

    public boolean failed(Lease lease, String reason) {
        return finish(lease, "FAILED", reason);
    }

    public boolean cancelled(Lease lease) {
        return finish(lease, "CANCELLED", "cancelled on request");
    }

    private boolean finish(Lease lease, String state, String reason) {
        return jdbc.update(
                        "UPDATE run SET state = ?, reason = ?, finished_at = now(), lease_expires_at = NULL,"
                                + " version = version + 1" + OWNED,
                        state,
                        truncate(reason),
                        lease.runId(),
                        lease.attempt())
                == 1;
    }

    /** Puts a run back in the queue without counting it as lost (a worker shutting down cleanly). */
    public boolean givenBack(Lease lease, String reason) {
        boolean given = jdbc.update(
                        "UPDATE run SET state = 'QUEUED', reason = ?, worker_id = NULL, lease_expires_at = NULL,"
                                + " version = version + 1" + OWNED,
                        truncate(reason),
                        lease.runId(),
                        lease.attempt())
                == 1;
        runs.notifyQueued();
        return given;
    }

    /**
     * Requeues every run whose lease expired (its worker died or lost the database for too long), or
     * fails it once it has lost {@code max_attempts} leases. Safe to call from any node at any time.
     * Within {@code grace} of a database restart nothing expires, so workers that lost the database
     * (not their runs) can reconnect and renew first.
     */
    public int expireLeases(Duration grace) {
        int expired = jdbc.update(
                "UPDATE run SET lost_leases = lost_leases + 1,"
                        + " state = CASE WHEN lost_leases + 1 >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,"
                        + " reason = CASE WHEN lost_leases + 1 >= max_attempts"
                        + "   THEN 'failed: lost its lease ' || (lost_leases + 1) || ' times, last on worker ' || worker_id"
                        + "   ELSE 'requeued: worker ' || worker_id || ' stopped renewing its lease (attempt ' || attempt"
                        + "     || '); resumes from epoch ' || checkpoint_epoch END,"
                        + " finished_at = CASE WHEN lost_leases + 1 >= max_attempts THEN now() END,"
                        + " worker_id = CASE WHEN lost_leases + 1 >= max_attempts THEN worker_id END,"
                        + " lease_expires_at = NULL, version = version + 1"
                        + " WHERE state = 'RUNNING' AND lease_expires_at < now()"
                        // after a PostgreSQL restart every lease looks expired: give the workers time to renew
                        + " AND pg_postmaster_start_time() < now() - make_interval(secs => ?)",
                grace.toMillis() / 1000.0);
        if (expired > 0) {
            runs.notifyQueued();
        }
        return expired;
    }

    /** Queued runs that need the same device, GPU count and worker labels, and how many there are. */
    public record Waiting(ResourceRequest need, int runs) {}

    /**
     * The queued runs that have waited at least {@code grace}, counted by what they need, the group
     * with the oldest run first: what a launcher starts workers for. A run a live worker can take is
     * claimed within a poll, so one still queued after the grace has nobody to take it.
     */
    public List<Waiting> waiting(Duration grace) {
        return jdbc.query(
                "SELECT device, gpu_count, worker_labels::text AS labels, count(*) AS runs FROM run"
                        + " WHERE state = 'QUEUED' AND queued_at <= now() - make_interval(secs => ?)"
                        + " GROUP BY device, gpu_count, worker_labels ORDER BY min(queued_at), device, gpu_count",
                (rs, i) -> new Waiting(
                        new ResourceRequest(
                                rs.getString("device"),
                                rs.getInt("gpu_count"),
                                Json.MAPPER.readValue(rs.getString("labels"), new TypeReference<List<String>>() {})),
                        rs.getInt("runs")),
                grace.toMillis() / 1000.0);
    }

    /**
     * Says on the queued runs that need exactly {@code need} why no worker is started for them (a
     * launcher's note, starting with {@code launcher:}); {@code null} clears such a note. A reason the
     * run already carries from before (a lost lease, a give-back) is kept. Returns the runs changed.
     */
    public int noteLauncher(ResourceRequest need, String note) {
        if (note != null && !note.startsWith(LAUNCHER_NOTE)) {
            throw new IllegalArgumentException("a launcher's note starts with '" + LAUNCHER_NOTE + "': " + note);
        }
        return jdbc.update(
                "UPDATE run SET reason = ?, version = version + 1 WHERE state = 'QUEUED' AND device = ?"
                        + " AND gpu_count = ? AND worker_labels = ?::jsonb"
                        + " AND (reason IS NULL OR reason LIKE 'launcher:%') AND reason IS DISTINCT FROM ?",
                truncate(note), need.device(), need.gpuCount(), RunStore.json(need.workerLabels()), truncate(note));
    }

    /** How a launcher's note on a waiting run begins. */
    public static final String LAUNCHER_NOTE = "launcher:";

    static String truncate(String reason) {
        if (reason == null) {
            return null;
        }
        return reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
    }
}
