package io.fulcrum.experiment;

import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.experiment.internal.RunPlan;
import io.fulcrum.experiment.internal.RunPlanner;
import io.fulcrum.experiment.internal.RunStore;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The experiment module's façade for single runs: queue, read, cancel and retry. */
@Service
public class RunManagement {

    private final RunPlanner planner;
    private final RunStore runs;
    private final MetricStore metrics;
    private final ArtifactStore artifacts;
    private final LiveWorkers workers;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    RunManagement(
            RunPlanner planner,
            RunStore runs,
            MetricStore metrics,
            ArtifactStore artifacts,
            LiveWorkers workers,
            JdbcTemplate jdbc,
            AuditLog audit) {
        this.planner = planner;
        this.runs = runs;
        this.metrics = metrics;
        this.artifacts = artifacts;
        this.workers = workers;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Validates and queues a run; refused with every broken rule if it could not start. */
    @Transactional
    public RunView create(RunRequest request) {
        RunPlan plan = planner.plan(request);
        long id = runs.insert(plan, null, Instant.now());
        RunRecord created = record(id);
        Map<String, Object> after = snapshot(created);
        after.put("label", created.label());
        after.put("taskGroupId", created.taskGroupId());
        after.put("datasetId", created.datasetId());
        after.put("scheduleId", created.scheduleId());
        after.put("priority", created.priority());
        audit.record("run.create", target(id), null, null, after);
        return get(id);
    }

    @Transactional(readOnly = true)
    public RunView get(long id) {
        RunRecord run = runs.find(id).orElseThrow(() -> new NotFoundException("Run", id));
        return view(run, workers.accepting());
    }

    /** Runs training now, waiting in the queue, and failed since the given instant. */
    public record Counts(long running, long queued, long failedSince) {}

    @Transactional(readOnly = true)
    public Counts counts(Instant failedSince) {
        return jdbc.queryForObject(
                "SELECT count(*) FILTER (WHERE state = 'RUNNING'), count(*) FILTER (WHERE state = 'QUEUED'),"
                        + " count(*) FILTER (WHERE state = 'FAILED' AND finished_at >= ?) FROM run",
                (rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                java.sql.Timestamp.from(failedSince));
    }

    public RunRecord record(long id) {
        return runs.find(id).orElseThrow(() -> new NotFoundException("Run", id));
    }

    @Transactional(readOnly = true)
    public PageResponse<RunView> list(RunState state, Long studyId, int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        String where = " WHERE (?::varchar IS NULL OR state = ?) AND (?::bigint IS NULL OR study_id = ?)";
        String stateName = state == null ? null : state.name();
        long total = jdbc.queryForObject(
                "SELECT count(*) FROM run" + where, Long.class, stateName, stateName, studyId, studyId);
        List<RunRecord> found = jdbc.query(
                "SELECT " + RunStore.COLUMNS + " FROM run" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                RunStore.MAPPER,
                stateName,
                stateName,
                studyId,
                studyId,
                request.getPageSize(),
                request.getOffset());
        List<LiveWorkers.Capacity> live = workers.accepting();
        return PageResponse.of(found.stream().map(r -> view(r, live)).toList(), request, total);
    }

    /** A queued run is cancelled at once; a running one within one training step of its worker noticing. */
    @Transactional
    public RunView cancel(long id) {
        RunRecord run = record(id);
        Map<String, Object> before = snapshot(run);
        int changed = switch (run.state()) {
            case QUEUED ->
                jdbc.update(
                        "UPDATE run SET state = 'CANCELLED', reason = 'cancelled on request before it started',"
                                + " finished_at = now(), version = version + 1 WHERE id = ? AND state = 'QUEUED'",
                        id);
            case RUNNING -> {
                int n = jdbc.update("UPDATE run SET cancel_requested = TRUE WHERE id = ? AND state = 'RUNNING'", id);
                jdbc.queryForList("SELECT pg_notify(?, ?)", RunQueue.CANCEL_CHANNEL, Long.toString(id));
                yield n;
            }
            default -> 0;
        };
        if (changed == 0) {
            RunState now = record(id).state();
            if (now.finished()) {
                throw new ConflictException("Run " + id + " is already " + now + " and cannot be cancelled");
            }
            return cancel(id); // it moved between QUEUED and RUNNING meanwhile
        }
        audit.record("run.cancel", target(id), null, before, snapshot(record(id)));
        return get(id);
    }

    /** Queues a FAILED or CANCELLED run again from scratch: its metrics and checkpoints are dropped. */
    @Transactional
    public RunView retry(long id) {
        RunRecord run = record(id);
        int changed = jdbc.update(
                "UPDATE run SET state = 'QUEUED', reason = 'retried', cancel_requested = FALSE, lost_leases = 0,"
                        + " checkpoint_epoch = 0, checkpoint_key = NULL, result = NULL, model_key = NULL,"
                        + " worker_id = NULL, started_at = NULL, finished_at = NULL, queued_at = now(),"
                        + " version = version + 1 WHERE id = ? AND state IN ('FAILED', 'CANCELLED')",
                id);
        if (changed == 0) {
            throw new ConflictException(
                    "Run " + id + " is " + run.state() + "; only FAILED or CANCELLED runs can be retried");
        }
        runs.notifyQueued();
        metrics.deleteAll(id);
        artifacts.deletePrefix(artifactPrefix(id));
        audit.record("run.retry", target(id), null, snapshot(run), snapshot(record(id)));
        return get(id);
    }

    private static String target(long id) {
        return "run/" + id;
    }

    /** The part of a run that cancel and retry change. */
    private static Map<String, Object> snapshot(RunRecord run) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("state", run.state());
        snapshot.put("reason", run.reason());
        snapshot.put("attempt", run.attempt());
        snapshot.put("cancelRequested", run.cancelRequested());
        snapshot.put("workerId", run.workerId());
        return snapshot;
    }

    /** Where a run's checkpoints and final model live in the artifact store. */
    public static String artifactPrefix(long runId) {
        return "runs/" + runId + "/";
    }

    RunView view(RunRecord r, List<LiveWorkers.Capacity> live) {
        return new RunView(
                r.id(),
                r.studyId(),
                r.label(),
                r.taskGroupId(),
                r.datasetId(),
                r.tasks(),
                r.spec(),
                r.training(),
                r.lossWeights(),
                r.scheduleId(),
                r.scheduleVersion(),
                r.resources(),
                r.priority(),
                r.state(),
                reason(r, live),
                r.attempt(),
                r.maxAttempts(),
                r.workerId(),
                r.checkpointEpoch(),
                r.cancelRequested(),
                r.createdAt(),
                r.startedAt(),
                r.finishedAt(),
                r.result());
    }

    /** For a queued run, why it waits, in front of what happened to it before. */
    static String reason(RunRecord r, List<LiveWorkers.Capacity> live) {
        if (r.state() != RunState.QUEUED) {
            if (r.state() == RunState.RUNNING) {
                return r.cancelRequested()
                        ? "cancelling on worker " + r.workerId()
                        : "running on worker " + r.workerId() + " (attempt " + r.attempt() + ")";
            }
            return r.reason();
        }
        String waiting = waiting(r.resources(), live);
        return r.reason() == null ? waiting : waiting + "; " + r.reason();
    }

    static String waiting(ResourceRequest need, List<LiveWorkers.Capacity> live) {
        if (live.isEmpty()) {
            return "waiting: no live worker";
        }
        boolean gpu = need.device().equals("gpu");
        List<LiveWorkers.Capacity> withDevice =
                live.stream().filter(w -> w.hasDeviceFor(need)).toList();
        if (withDevice.isEmpty()) {
            return need.gpuCount() == 1
                    ? "waiting: no live worker has a GPU"
                    : "waiting: no live worker has " + need.gpuCount() + " GPUs";
        }
        boolean labelled = withDevice.stream().anyMatch(w -> w.canTake(need));
        if (!labelled) {
            return "waiting: no live worker" + (gpu ? " with a GPU" : "") + " has the labels "
                    + need.workerLabels().stream().collect(Collectors.joining(", ", "[", "]"));
        }
        return "waiting for a free slot on a worker";
    }
}
