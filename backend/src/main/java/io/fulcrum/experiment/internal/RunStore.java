package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.RunQueue;
import io.fulcrum.experiment.RunRecord;
import io.fulcrum.experiment.RunResult;
import io.fulcrum.experiment.RunState;
import io.fulcrum.experiment.RunTask;
import io.fulcrum.experiment.TrainingSettings;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.system.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/** The run table over plain JDBC: the queue's statements must be exactly what they say. */
@Repository
public class RunStore {

    public static final String COLUMNS = "id, study_id, label, task_group_id, task_group_version, dataset_id,"
            + " loss_weight_schedule_id, loss_weight_schedule_version, tasks, model_spec, training, loss_weights,"
            + " device, gpu_count, worker_labels, priority, config_hash, state, reason, attempt, lost_leases,"
            + " max_attempts, worker_id, lease_expires_at, cancel_requested, checkpoint_epoch, checkpoint_key,"
            + " model_key, result, created_at, queued_at, started_at, finished_at";

    private final JdbcTemplate jdbc;

    RunStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(RunPlan plan, Long studyId, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                con -> {
                    var ps = con.prepareStatement(
                            "INSERT INTO run (study_id, label, task_group_id, task_group_version, dataset_id,"
                                    + " loss_weight_schedule_id, loss_weight_schedule_version, tasks, model_spec,"
                                    + " training, loss_weights, device, gpu_count, worker_labels, priority,"
                                    + " config_hash, state, max_attempts, created_at, queued_at)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?,"
                                    + " ?::jsonb, ?, ?, 'QUEUED', ?, ?, ?)",
                            new String[] {"id"});
                    int i = 1;
                    ps.setObject(i++, studyId);
                    ps.setString(i++, plan.label());
                    ps.setLong(i++, plan.taskGroupId());
                    ps.setLong(i++, plan.taskGroupVersion());
                    ps.setLong(i++, plan.datasetId());
                    ps.setObject(i++, plan.scheduleId());
                    ps.setObject(i++, plan.scheduleVersion());
                    ps.setString(i++, json(plan.tasks()));
                    ps.setString(i++, json(plan.spec()));
                    ps.setString(i++, json(plan.training()));
                    ps.setString(
                            i++, Json.MAPPER.writerFor(LossWeightSpec.class).writeValueAsString(plan.lossWeights()));
                    ps.setString(i++, plan.resources().device());
                    ps.setInt(i++, plan.resources().gpuCount());
                    ps.setString(i++, json(plan.resources().workerLabels()));
                    ps.setInt(i++, plan.priority());
                    ps.setString(i++, plan.configHash());
                    ps.setInt(i++, plan.maxAttempts());
                    ps.setTimestamp(i++, Timestamp.from(now));
                    ps.setTimestamp(i, Timestamp.from(now));
                    return ps;
                },
                keys);
        notifyQueued();
        return keys.getKey().longValue();
    }

    /** Wakes idle workers (they LISTEN on this channel); delivered when the transaction commits. */
    public void notifyQueued() {
        jdbc.queryForList("SELECT pg_notify('" + RunQueue.QUEUE_CHANNEL + "', '')");
    }

    public Optional<RunRecord> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM run WHERE id = ?", MAPPER, id).stream()
                .findFirst();
    }

    public List<RunRecord> findAll(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM run WHERE id = ANY(?) ORDER BY id", MAPPER, (Object)
                ids.toArray(Long[]::new));
    }

    /** The newest SUCCEEDED run with this configuration: a baseline a study may reuse. */
    public Optional<Long> findSucceeded(String configHash) {
        return jdbc
                .queryForList(
                        "SELECT id FROM run WHERE config_hash = ? AND state = 'SUCCEEDED' ORDER BY id DESC LIMIT 1",
                        Long.class,
                        configHash)
                .stream()
                .findFirst();
    }

    public static String json(Object value) {
        return Json.MAPPER.writeValueAsString(value);
    }

    public static final RowMapper<RunRecord> MAPPER = RunStore::map;

    private static RunRecord map(ResultSet rs, int row) throws SQLException {
        String result = rs.getString("result");
        return new RunRecord(
                rs.getLong("id"),
                (Long) rs.getObject("study_id", Long.class),
                rs.getString("label"),
                rs.getLong("task_group_id"),
                rs.getLong("task_group_version"),
                rs.getLong("dataset_id"),
                rs.getObject("loss_weight_schedule_id", Long.class),
                rs.getObject("loss_weight_schedule_version", Integer.class),
                Json.MAPPER.readValue(rs.getString("tasks"), new TypeReference<List<RunTask>>() {}),
                Json.MAPPER.readValue(rs.getString("model_spec"), ModelSpec.class),
                Json.MAPPER.readValue(rs.getString("training"), TrainingSettings.class),
                Json.MAPPER.readValue(rs.getString("loss_weights"), LossWeightSpec.class),
                new ResourceRequest(
                        rs.getString("device"),
                        rs.getInt("gpu_count"),
                        Json.MAPPER.readValue(rs.getString("worker_labels"), new TypeReference<List<String>>() {})),
                rs.getInt("priority"),
                rs.getString("config_hash"),
                RunState.valueOf(rs.getString("state")),
                rs.getString("reason"),
                rs.getInt("attempt"),
                rs.getInt("lost_leases"),
                rs.getInt("max_attempts"),
                rs.getObject("worker_id", Long.class),
                instant(rs, "lease_expires_at"),
                rs.getBoolean("cancel_requested"),
                rs.getInt("checkpoint_epoch"),
                rs.getString("checkpoint_key"),
                rs.getString("model_key"),
                result == null ? null : Json.MAPPER.readValue(result, RunResult.class),
                instant(rs, "created_at"),
                instant(rs, "queued_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
