package io.fulcrum.experiment;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.ParameterMatching;
import io.fulcrum.mtl.model.SpecException;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    static final String SINGLE = "single";
    private static final int MAX_MODELS = 20;
    private static final int MAX_SEEDS = 20;
    private static final int MAX_RUNS = 500;

    private final RunPlanner planner;
    private final RunStore runs;
    private final RunManagement runManagement;
    private final LiveWorkers workers;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    StudyManagement(
            RunPlanner planner,
            RunStore runs,
            RunManagement runManagement,
            LiveWorkers workers,
            JdbcTemplate jdbc,
            AuditLog audit) {
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
        if (request == null) {
            throw new InvalidInputException(new FieldViolation("", "required", "a study is required"));
        }
        List<FieldViolation> v = new ArrayList<>();
        String name = checkName(request.name(), v);
        RunPlanner.Context context = planner.context(request.taskGroupId(), request.datasetId(), "", v);
        TrainingSettings training = planner.checkTraining(request.training(), "training", context, v);
        ResourceRequest resources = planner.checkResources(request.resources(), "resources", v);
        int priority = request.priority() == null ? 0 : request.priority();
        if (priority < -100 || priority > 100) {
            v.add(new FieldViolation("priority", "range", "must be between -100 and 100"));
        }
        List<Long> seeds = checkSeeds(request.seeds(), v);
        List<ModelSpec> specs = new ArrayList<>();
        List<ModelRequest> models = request.models() == null ? List.of() : request.models();
        if (models.isEmpty() || models.size() > MAX_MODELS) {
            v.add(new FieldViolation("models", "size", "must list 1 to " + MAX_MODELS + " models"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            ModelRequest m = models.get(i);
            specs.add(planner.checkModel(m, "models[" + i + "]", context, training, v));
            if (m != null && m.architecture() != null && !names.add(m.displayName())) {
                v.add(new FieldViolation(
                        "models[" + i + "].name",
                        "unique",
                        "two models are named '" + m.displayName() + "'; give them distinct names"));
            }
            if (m != null && SINGLE.equals(m.displayName())) {
                v.add(new FieldViolation(
                        "models[" + i + "]",
                        "not-baseline",
                        "the single-task baselines are added by the study itself; name this model otherwise"));
            }
        }
        checkParameterBudget(request, v);
        List<RunPlanner.ScheduleChoice> schedules = checkSchedules(request, context, v);
        int total = (models.size() * schedules.size() + 1) * seeds.size();
        if (total > MAX_RUNS) {
            v.add(new FieldViolation("models", "size", "the study would need " + total + " runs; at most " + MAX_RUNS));
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        ModelSpec baseline = baselineSpec(context, models.get(0), training);
        if (Boolean.TRUE.equals(request.matchParameters())) {
            // the baselines keep their size: each task's network is what that task would get alone
            specs = matchParameters(specs, request.parameterBudget());
        }
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
                            seeded,
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

    private static void checkParameterBudget(StudyRequest request, List<FieldViolation> v) {
        Long budget = request.parameterBudget();
        if (budget == null) {
            return;
        }
        if (!Boolean.TRUE.equals(request.matchParameters())) {
            v.add(new FieldViolation("parameterBudget", "requires", "needs \"matchParameters\": true"));
        } else if (budget < 1) {
            v.add(new FieldViolation("parameterBudget", "min", "must be at least 1"));
        }
    }

    /**
     * Every spec scaled to the budget, or to the largest of them without one; a budget no scaling of
     * some model reaches is refused.
     */
    private static List<ModelSpec> matchParameters(List<ModelSpec> specs, Long budget) {
        long target = budget != null
                ? budget
                : specs.stream().mapToLong(ParameterMatching::count).max().orElseThrow();
        List<ModelSpec> matched = new ArrayList<>();
        for (ModelSpec spec : specs) {
            try {
                matched.add(ParameterMatching.match(spec, target));
            } catch (SpecException e) {
                throw new InvalidInputException(new FieldViolation(
                        budget != null ? "parameterBudget" : "matchParameters",
                        "buildable",
                        String.join("; ", e.violations()).replaceFirst("^parameterBudget: ", "")));
            }
        }
        return matched;
    }

    private static String rowName(String model, RunPlanner.ScheduleChoice schedule, int schedules) {
        if (schedules == 1) {
            return model;
        }
        return model + "@" + (schedule.id() == null ? "default" : "schedule-" + schedule.id());
    }

    /**
     * The baseline's spec: one independent network per task (architecture single), with the first
     * model's expert width as its bottom and the same tower. The same for every seed; each seed's run
     * trains it on the same data and seed as the models, with every task at weight 1.
     */
    private ModelSpec baselineSpec(RunPlanner.Context context, ModelRequest first, TrainingSettings training) {
        ModelSpec.Experts experts = first.experts() == null ? new ModelSpec.Experts(null, null, null) : first.experts();
        ModelRequest single = new ModelRequest(
                SINGLE,
                SINGLE,
                null,
                null,
                experts.units(),
                first.towerUnits(),
                null,
                null,
                first.activation(),
                first.dropout(),
                null);
        List<FieldViolation> v = new ArrayList<>();
        ModelSpec spec = planner.checkModel(single, "models[0]", context, training, v);
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        return spec;
    }

    private List<RunPlanner.ScheduleChoice> checkSchedules(
            StudyRequest request, RunPlanner.Context context, List<FieldViolation> v) {
        List<RunPlanner.ScheduleChoice> choices = new ArrayList<>();
        if (request.lossWeightScheduleIds() != null
                && !request.lossWeightScheduleIds().isEmpty()) {
            if (request.lossWeightScheduleId() != null) {
                v.add(new FieldViolation(
                        "lossWeightScheduleIds", "exclusive", "give lossWeightScheduleId or lossWeightScheduleIds"));
            }
            List<Long> ids = request.lossWeightScheduleIds();
            if (new HashSet<>(ids).size() != ids.size() || ids.size() > 10) {
                v.add(new FieldViolation("lossWeightScheduleIds", "size", "must list 1 to 10 distinct schedules"));
            }
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == null) {
                    v.add(new FieldViolation("lossWeightScheduleIds[" + i + "]", "required", "must be given"));
                    continue;
                }
                choices.add(planner.checkSchedule(ids.get(i), "lossWeightScheduleIds[" + i + "]", context, v));
            }
        } else {
            choices.add(planner.checkSchedule(request.lossWeightScheduleId(), "lossWeightScheduleId", context, v));
        }
        return choices.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static List<Long> checkSeeds(List<Long> given, List<FieldViolation> v) {
        List<Long> seeds = given == null || given.isEmpty() ? List.of(1L) : given;
        if (seeds.size() > MAX_SEEDS) {
            v.add(new FieldViolation("seeds", "size", "at most " + MAX_SEEDS + " seeds"));
        }
        // List.of(…).contains(null) throws, so nulls are looked for one by one
        if (seeds.stream().anyMatch(java.util.Objects::isNull) || new LinkedHashSet<>(seeds).size() != seeds.size()) {
            v.add(new FieldViolation("seeds", "distinct", "must be distinct numbers"));
            return List.of();
        }
        return seeds;
    }

    private String checkName(String name, List<FieldViolation> v) {
        if (name == null || name.isBlank()) {
            v.add(new FieldViolation("name", "required", "must not be blank"));
            return null;
        }
        String stripped = name.strip();
        if (stripped.length() > 100) {
            v.add(new FieldViolation("name", "length", "at most 100 characters"));
        }
        return stripped;
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
                                io.fulcrum.mtl.Json.MAPPER.readValue(rs.getString(5), StudyRequest.class),
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
