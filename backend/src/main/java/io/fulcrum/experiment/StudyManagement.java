package io.fulcrum.experiment;

import io.fulcrum.experiment.internal.RunPlan;
import io.fulcrum.experiment.internal.RunPlanner;
import io.fulcrum.experiment.internal.RunStore;
import io.fulcrum.experiment.internal.StudyRules;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

/**
 * Creates studies (their runs and single-task baselines in one transaction) and reads them back.
 * A baseline is reused when an identical one (same task group version, dataset, spec, training and
 * seed) has already SUCCEEDED.
 */
@Service
public class StudyManagement {

    public static final String SINGLE = "single";

    private final StudyRules rules;
    private final RunPlanner planner;
    private final RunStore runs;
    private final RunManagement runManagement;
    private final LiveWorkers workers;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    StudyManagement(
            StudyRules rules,
            RunPlanner planner,
            RunStore runs,
            RunManagement runManagement,
            LiveWorkers workers,
            JdbcTemplate jdbc,
            AuditLog audit) {
        this.rules = rules;
        this.planner = planner;
        this.runs = runs;
        this.runManagement = runManagement;
        this.workers = workers;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** A planned run of the study, before it is stored. */
    private record Planned(RunPlan plan, String model, long seed, boolean baseline) {}

    @Transactional
    public StudyView create(StudyRequest request) {
        StudyRules.Valid study = rules.check(request);
        String name = study.name();
        RunPlanner.Context context = study.context();
        TrainingSettings training = study.training();
        ResourceRequest resources = study.resources();
        int priority = study.priority();
        List<Long> seeds = study.seeds();
        List<ModelSpec> specs = study.specs();
        List<ModelRequest> models = study.models();
        List<RunPlanner.ScheduleChoice> schedules = study.schedules();
        ModelSpec baseline = study.baseline();
        RunPlanner.ScheduleChoice constant =
                new RunPlanner.ScheduleChoice(null, null, new LossWeightSpec.Constant(null));
        List<Planned> planned = new ArrayList<>();
        for (long seed : seeds) {
            TrainingSettings seeded = training.withSeed(seed);
            for (RunPlanner.ScheduleChoice schedule : schedules) {
                for (int i = 0; i < models.size(); i++) {
                    String model = rowName(models.get(i).displayName(), schedule, schedules.size());
                    RunPlan plan = planner.plan(
                            model,
                            context,
                            specs.get(i),
                            seeded.withBalancing(models.get(i).balancing()),
                            schedule,
                            resources,
                            priority,
                            planner.defaultMaxAttempts());
                    planned.add(new Planned(plan, model, seed, false));
                }
            }
            RunPlan single = planner.plan(
                    SINGLE, context, baseline, seeded, constant, resources, priority, planner.defaultMaxAttempts());
            planned.add(new Planned(single, SINGLE, seed, true));
        }
        long studyId = insertStudy(name, request, context);
        Instant now = Instant.now();
        for (Planned p : planned) {
            Long reused =
                    p.baseline() ? runs.findSucceeded(p.plan().configHash()).orElse(null) : null;
            long runId = reused != null ? reused : runs.insert(p.plan(), studyId, now);
            jdbc.update(
                    "INSERT INTO study_run (study_id, run_id, model, seed) VALUES (?, ?, ?, ?)",
                    studyId,
                    runId,
                    p.model(),
                    p.seed());
        }
        StudyView created = get(studyId);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("name", created.name());
        after.put("taskGroupId", created.taskGroupId());
        after.put("datasetId", created.datasetId());
        after.put("models", created.models());
        after.put("seeds", created.seeds());
        after.put("runIds", created.runs().stream().map(StudyView.StudyRun::id).toList());
        audit.record("study.create", "study/" + studyId, null, null, after);
        return created;
    }

    private static String rowName(String model, RunPlanner.ScheduleChoice schedule, int schedules) {
        if (schedules == 1) {
            return model;
        }
        return model + "@" + (schedule.id() == null ? "default" : "schedule-" + schedule.id());
    }

    private long insertStudy(String name, StudyRequest request, RunPlanner.Context context) {
        Integer taken =
                jdbc.queryForObject("SELECT count(*) FROM study WHERE lower(name) = lower(?)", Integer.class, name);
        if (taken != null && taken > 0) {
            throw nameTaken(name);
        }
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        try {
            jdbc.update(
                    con -> {
                        var ps = con.prepareStatement(
                                "INSERT INTO study (name, task_group_id, dataset_id, request, created_at)"
                                        + " VALUES (?, ?, ?, ?::jsonb, ?)",
                                new String[] {"id"});
                        ps.setString(1, name);
                        ps.setLong(2, context.group().id());
                        ps.setLong(3, context.dataset().id());
                        ps.setString(4, RunStore.json(request));
                        ps.setTimestamp(5, Timestamp.from(Instant.now()));
                        return ps;
                    },
                    keys);
        } catch (DuplicateKeyException e) {
            throw nameTaken(name);
        }
        return keys.getKey().longValue();
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A study named '" + name + "' already exists",
                List.of(new FieldViolation("name", "unique", "'" + name + "' is taken")));
    }

    /** A study's stored row. */
    record StudyRow(long id, String name, long taskGroupId, long datasetId, StudyRequest request, Instant createdAt) {}

    /** A study's runs with the comparison row and seed each stands for. */
    record Member(RunRecord run, String model, long seed) {}

    StudyRow row(long id) {
        return jdbc
                .query(
                        "SELECT id, name, task_group_id, dataset_id, request, created_at FROM study WHERE id = ?",
                        (rs, i) -> new StudyRow(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                io.fulcrum.system.Json.MAPPER.readValue(rs.getString(5), StudyRequest.class),
                                rs.getTimestamp(6).toInstant()),
                        id)
                .stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("Study", id));
    }

    List<Member> members(long studyId) {
        List<Object[]> links = jdbc.query(
                "SELECT run_id, model, seed FROM study_run WHERE study_id = ? ORDER BY seed, run_id",
                (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)},
                studyId);
        Map<Long, RunRecord> byId = new java.util.HashMap<>();
        for (RunRecord r : runs.findAll(links.stream().map(l -> (Long) l[0]).toList())) {
            byId.put(r.id(), r);
        }
        return links.stream()
                .map(l -> new Member(byId.get((Long) l[0]), (String) l[1], (Long) l[2]))
                .toList();
    }

    @Transactional(readOnly = true)
    public StudyView get(long id) {
        StudyRow study = row(id);
        List<LiveWorkers.Capacity> live = workers.accepting();
        Map<RunState, Integer> progress = new EnumMap<>(RunState.class);
        List<StudyView.StudyRun> list = new ArrayList<>();
        for (Member m : members(id)) {
            progress.merge(m.run().state(), 1, Integer::sum);
            list.add(new StudyView.StudyRun(
                    m.run().id(),
                    m.model(),
                    m.seed(),
                    m.run().state(),
                    RunManagement.reason(m.run(), live),
                    m.run().studyId() == null || m.run().studyId() != id));
        }
        List<String> models =
                list.stream().map(StudyView.StudyRun::model).distinct().toList();
        List<Long> seeds =
                list.stream().map(StudyView.StudyRun::seed).distinct().toList();
        return new StudyView(
                study.id(),
                study.name(),
                study.taskGroupId(),
                study.datasetId(),
                models,
                seeds,
                study.createdAt(),
                progress,
                list);
    }

    @Transactional(readOnly = true)
    public PageResponse<StudyView> list(int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        long total = jdbc.queryForObject("SELECT count(*) FROM study", Long.class);
        List<Long> ids = jdbc.queryForList(
                "SELECT id FROM study ORDER BY id DESC LIMIT ? OFFSET ?",
                Long.class,
                request.getPageSize(),
                request.getOffset());
        return PageResponse.of(ids.stream().map(this::get).toList(), request, total);
    }

    static final TypeReference<List<Long>> LONGS = new TypeReference<>() {};
}
