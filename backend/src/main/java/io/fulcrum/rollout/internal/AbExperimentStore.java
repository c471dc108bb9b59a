package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.AbAuditEntry;
import io.fulcrum.rollout.AbExperimentSnapshot;
import io.fulcrum.rollout.AbExperimentState;
import io.fulcrum.rollout.AbExperimentView;
import io.fulcrum.rollout.AbExperiments;
import io.fulcrum.rollout.AbVariant;
import io.fulcrum.rollout.AnalysisPlan;
import io.fulcrum.rollout.BucketHash;
import io.fulcrum.rollout.Guardrail;
import io.fulcrum.rollout.RampStep;
import io.fulcrum.rollout.RunningAbExperiment;
import io.fulcrum.rollout.ScoringSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The experiment, variant and audit tables (V9) over plain JDBC, plus the surface rows they refer to. */
@Repository
public class AbExperimentStore {

    /** A surface as an experiment needs it: which model it serves and how it scores by default. */
    public record SurfaceRow(long id, String name, String modelName, ScoringSpec scoring) {}

    /** The columns of an experiment a transition changes. */
    public record Lifecycle(
            AbExperimentState state,
            int rampStep,
            Instant rampStepStartedAt,
            Instant startedAt,
            Instant stoppedAt,
            String winner,
            String outcomeReason) {

        public static Lifecycle of(AbExperimentView e) {
            return new Lifecycle(
                    e.state(),
                    e.rampStep(),
                    e.rampStepStartedAt(),
                    e.startedAt(),
                    e.stoppedAt(),
                    e.winner(),
                    e.outcomeReason());
        }

        public Lifecycle withState(AbExperimentState next) {
            return new Lifecycle(next, rampStep, rampStepStartedAt, startedAt, stoppedAt, winner, outcomeReason);
        }

        public Lifecycle withRamp(int step, Instant since) {
            return new Lifecycle(state, step, since, startedAt, stoppedAt, winner, outcomeReason);
        }

        public Lifecycle withStarted(Instant at) {
            return new Lifecycle(state, rampStep, rampStepStartedAt, at, stoppedAt, winner, outcomeReason);
        }

        public Lifecycle withStopped(Instant at) {
            return new Lifecycle(state, rampStep, rampStepStartedAt, startedAt, at, winner, outcomeReason);
        }

        public Lifecycle withOutcome(String winnerName, String reason) {
            return new Lifecycle(state, rampStep, rampStepStartedAt, startedAt, stoppedAt, winnerName, reason);
        }
    }

    private static final String SELECT = "SELECT e.id, e.name, e.surface_id, s.name AS surface_name, s.model_name,"
            + " e.description, e.state, e.salt, e.target_metric, e.guardrails, e.ramp_plan, e.ramp_step, e.analysis_plan,"
            + " e.ramp_step_started_at, e.winner, e.outcome_reason, e.created_by, e.created_at, e.started_at,"
            + " e.stopped_at, e.updated_at, e.row_version"
            + " FROM ab_experiment e JOIN surface s ON s.id = e.surface_id";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    AbExperimentStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // ---- surfaces ----

    public Optional<SurfaceRow> surface(String name) {
        return jdbc
                .query("SELECT id, name, model_name, scoring FROM surface WHERE name = ?", this::surfaceRow, name)
                .stream()
                .findFirst();
    }

    public SurfaceRow surface(long id) {
        return jdbc.queryForObject(
                "SELECT id, name, model_name, scoring FROM surface WHERE id = ?", this::surfaceRow, id);
    }

    public List<String> surfaceNames() {
        return jdbc.queryForList("SELECT name FROM surface ORDER BY name", String.class);
    }

    public void setSurfaceScoring(long surfaceId, ScoringSpec scoring) {
        jdbc.update(
                "UPDATE surface SET scoring = ?::jsonb, updated_at = now() WHERE id = ?", write(scoring), surfaceId);
    }

    private SurfaceRow surfaceRow(ResultSet rs, int row) throws SQLException {
        return new SurfaceRow(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("model_name"),
                json.readValue(rs.getString("scoring"), ScoringSpec.class));
    }

    // ---- experiments ----

    public long insert(AbExperimentRules.Valid config, String createdBy, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                con -> {
                    var ps = con.prepareStatement(
                            "INSERT INTO ab_experiment (name, surface_id, state, salt, target_metric, guardrails,"
                                    + " ramp_plan, analysis_plan, description, created_by, created_at, updated_at)"
                                    + " VALUES (?, ?, 'DRAFT', ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)",
                            new String[] {"id"});
                    int i = 1;
                    ps.setString(i++, config.name());
                    ps.setLong(i++, config.surface().id());
                    ps.setString(i++, config.salt());
                    ps.setString(i++, config.targetMetric());
                    ps.setString(i++, write(config.guardrails()));
                    ps.setString(i++, write(config.rampPlan()));
                    ps.setString(i++, write(config.analysisPlan()));
                    ps.setString(i++, config.description());
                    ps.setString(i++, createdBy);
                    ps.setTimestamp(i++, Timestamp.from(now));
                    ps.setTimestamp(i, Timestamp.from(now));
                    return ps;
                },
                keys);
        long id = keys.getKey().longValue();
        insertVariants(id, config.variants());
        return id;
    }

    /** Replaces a DRAFT's configuration and variants. */
    public void replace(long id, AbExperimentRules.Valid config, Instant now) {
        jdbc.update(
                "UPDATE ab_experiment SET name = ?, surface_id = ?, salt = ?, target_metric = ?, guardrails = ?::jsonb,"
                        + " ramp_plan = ?::jsonb, analysis_plan = ?::jsonb, description = ?, updated_at = ?,"
                        + " row_version = row_version + 1"
                        + " WHERE id = ?",
                config.name(),
                config.surface().id(),
                config.salt(),
                config.targetMetric(),
                write(config.guardrails()),
                write(config.rampPlan()),
                write(config.analysisPlan()),
                config.description(),
                Timestamp.from(now),
                id);
        jdbc.update("DELETE FROM ab_variant WHERE experiment_id = ?", id);
        insertVariants(id, config.variants());
    }

    private void insertVariants(long id, List<AbVariant> variants) {
        jdbc.batchUpdate(
                "INSERT INTO ab_variant (experiment_id, name, position, control, model_version, scoring, allocation_bps)"
                        + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)",
                variants.stream()
                        .map(v -> new Object[] {
                            id,
                            v.name(),
                            v.position(),
                            v.control(),
                            v.modelVersion(),
                            write(v.scoring()),
                            v.allocationBps()
                        })
                        .toList());
    }

    /** Stores a transition's columns; the caller holds the row lock. */
    public void update(long id, Lifecycle l, Instant now) {
        jdbc.update(
                "UPDATE ab_experiment SET state = ?, ramp_step = ?, ramp_step_started_at = ?, started_at = ?,"
                        + " stopped_at = ?, winner = ?, outcome_reason = ?, updated_at = ?, row_version = row_version + 1"
                        + " WHERE id = ?",
                l.state().name(),
                l.rampStep(),
                timestamp(l.rampStepStartedAt()),
                timestamp(l.startedAt()),
                timestamp(l.stoppedAt()),
                l.winner(),
                l.outcomeReason(),
                Timestamp.from(now),
                id);
    }

    public void delete(long id) {
        jdbc.update("DELETE FROM ab_experiment WHERE id = ?", id);
    }

    public Optional<AbExperimentView> find(long id) {
        return one(SELECT + " WHERE e.id = ?", id);
    }

    /** The experiment, its row locked until the transaction ends: concurrent changes run one after another. */
    public Optional<AbExperimentView> lock(long id) {
        return one(SELECT + " WHERE e.id = ? FOR UPDATE OF e", id);
    }

    /** The name and id of the experiment RUNNING on the surface, other than {@code exceptId}. */
    public Optional<Map.Entry<Long, String>> runningOn(long surfaceId, long exceptId) {
        return jdbc
                .query(
                        "SELECT id, name FROM ab_experiment WHERE surface_id = ? AND state = 'RUNNING' AND id <> ?",
                        (rs, row) -> Map.entry(rs.getLong("id"), rs.getString("name")),
                        surfaceId,
                        exceptId)
                .stream()
                .findFirst();
    }

    public List<AbExperimentView> page(String surface, AbExperimentState state, long offset, int limit) {
        List<Object> args = new ArrayList<>();
        String where = filter(surface, state, args);
        args.add(limit);
        args.add(offset);
        return many(SELECT + where + " ORDER BY e.id DESC LIMIT ? OFFSET ?", args.toArray());
    }

    public long count(String surface, AbExperimentState state) {
        List<Object> args = new ArrayList<>();
        String where = filter(surface, state, args);
        Long n = jdbc.queryForObject(
                "SELECT count(*) FROM ab_experiment e JOIN surface s ON s.id = e.surface_id" + where,
                Long.class,
                args.toArray());
        return n == null ? 0 : n;
    }

    private static String filter(String surface, AbExperimentState state, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        if (surface != null) {
            conditions.add("s.name = ?");
            args.add(surface);
        }
        if (state != null) {
            conditions.add("e.state = ?");
            args.add(state.name());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public List<RunningAbExperiment> running() {
        return jdbc.query(
                "SELECT id, surface_id, ramp_plan, ramp_step, ramp_step_started_at, guardrails, started_at"
                        + " FROM ab_experiment WHERE state = 'RUNNING' ORDER BY id",
                (rs, row) -> new RunningAbExperiment(
                        rs.getLong("id"),
                        rs.getLong("surface_id"),
                        RampStep.listOf(rs.getString("ramp_plan")),
                        rs.getInt("ramp_step"),
                        instant(rs, "ramp_step_started_at"),
                        Guardrail.listOf(rs.getString("guardrails")),
                        instant(rs, "started_at")));
    }

    // ---- audit ----

    public void audit(
            long experimentId,
            String action,
            String actor,
            Instant at,
            AbExperimentSnapshot before,
            AbExperimentSnapshot after,
            String reason) {
        jdbc.update(
                "INSERT INTO ab_experiment_audit (experiment_id, action, actor, at, before, after, reason)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)",
                experimentId,
                action,
                actor,
                Timestamp.from(at),
                before == null ? null : write(before),
                after == null ? null : write(after),
                reason);
    }

    public List<AbAuditEntry> history(long experimentId) {
        return jdbc.query(
                "SELECT id, action, actor, at, before, after, reason FROM ab_experiment_audit"
                        + " WHERE experiment_id = ? ORDER BY id",
                (rs, row) -> new AbAuditEntry(
                        rs.getLong("id"),
                        rs.getString("action"),
                        rs.getString("actor"),
                        instant(rs, "at"),
                        snapshot(rs.getString("before")),
                        snapshot(rs.getString("after")),
                        rs.getString("reason")),
                experimentId);
    }

    private AbExperimentSnapshot snapshot(String text) {
        return text == null ? null : json.readValue(text, AbExperimentSnapshot.class);
    }

    // ---- mapping ----

    private Optional<AbExperimentView> one(String sql, Object... args) {
        return many(sql, args).stream().findFirst();
    }

    private List<AbExperimentView> many(String sql, Object... args) {
        List<Row> rows = jdbc.query(sql, this::row, args);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<AbVariant>> variants =
                variantsOf(rows.stream().map(Row::id).toList());
        return rows.stream()
                .map(r -> r.view(variants.getOrDefault(r.id(), List.of())))
                .toList();
    }

    private Map<Long, List<AbVariant>> variantsOf(List<Long> ids) {
        Map<Long, List<AbVariant>> byExperiment = new LinkedHashMap<>();
        jdbc.query(
                "SELECT experiment_id, name, position, control, model_version, scoring, allocation_bps FROM ab_variant"
                        + " WHERE experiment_id = ANY(?) ORDER BY experiment_id, position",
                rs -> {
                    byExperiment
                            .computeIfAbsent(rs.getLong("experiment_id"), k -> new ArrayList<>())
                            .add(new AbVariant(
                                    rs.getString("name"),
                                    rs.getInt("position"),
                                    rs.getBoolean("control"),
                                    rs.getInt("model_version"),
                                    json.readValue(rs.getString("scoring"), ScoringSpec.class),
                                    rs.getInt("allocation_bps")));
                },
                (Object) ids.toArray(Long[]::new));
        return byExperiment;
    }

    /** One experiment row before its variants are attached. */
    private record Row(
            long id,
            String name,
            long surfaceId,
            String surface,
            String modelName,
            String description,
            AbExperimentState state,
            String salt,
            String targetMetric,
            List<Guardrail> guardrails,
            List<RampStep> rampPlan,
            int rampStep,
            AnalysisPlan analysisPlan,
            Instant rampStepStartedAt,
            String winner,
            String outcomeReason,
            String createdBy,
            Instant createdAt,
            Instant startedAt,
            Instant stoppedAt,
            Instant updatedAt,
            long rowVersion) {

        AbExperimentView view(List<AbVariant> variants) {
            int allocated = variants.stream().mapToInt(AbVariant::allocationBps).sum();
            return new AbExperimentView(
                    id,
                    name,
                    surface,
                    surfaceId,
                    modelName,
                    description,
                    state,
                    salt,
                    targetMetric,
                    guardrails,
                    rampPlan,
                    rampStep,
                    AbExperiments.rampPercent(rampPlan, rampStep),
                    rampStepStartedAt,
                    rampStep + 1 < rampPlan.size(),
                    List.copyOf(variants),
                    BucketHash.BUCKETS - allocated,
                    winner,
                    outcomeReason,
                    createdBy,
                    createdAt,
                    startedAt,
                    stoppedAt,
                    updatedAt,
                    rowVersion,
                    state.transitions(),
                    analysisPlan.analysis(),
                    analysisPlan.correction(),
                    analysisPlan.preExposure(),
                    analysisPlan.plannedUsersPerVariant());
        }
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getLong("surface_id"),
                rs.getString("surface_name"),
                rs.getString("model_name"),
                rs.getString("description"),
                AbExperimentState.valueOf(rs.getString("state")),
                rs.getString("salt"),
                rs.getString("target_metric"),
                Guardrail.listOf(rs.getString("guardrails")),
                RampStep.listOf(rs.getString("ramp_plan")),
                rs.getInt("ramp_step"),
                json.readValue(rs.getString("analysis_plan"), AnalysisPlan.class),
                instant(rs, "ramp_step_started_at"),
                rs.getString("winner"),
                rs.getString("outcome_reason"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "stopped_at"),
                instant(rs, "updated_at"),
                rs.getLong("row_version"));
    }

    private String write(Object value) {
        return json.writeValueAsString(value);
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
