package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.loss.ScheduleUnit;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import io.fulcrum.taskgroup.TaskDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The loss-weight-schedule module's façade: named, versioned specs of ω_k(t). Every create, edit
 * and delete goes through here, whole or not at all; runs resolve the version they train with here.
 */
@Service
public class LossWeightSchedules {

    private static final Pattern REFERENCING_TABLE = Pattern.compile("from table \"([^\"]+)\"");

    private final NamedScheduleRepository schedules;
    private final ScheduleVersionRepository versions;
    private final JsonMapper json;
    private final AuditLog audit;
    private final Clock clock;

    LossWeightSchedules(
            NamedScheduleRepository schedules, ScheduleVersionRepository versions, JsonMapper json, AuditLog audit) {
        this.schedules = schedules;
        this.versions = versions;
        this.json = json;
        this.audit = audit;
        this.clock = Clock.systemUTC();
    }

    @Transactional(readOnly = true)
    public PageResponse<ScheduleSummary> list(int page, int size) {
        return PageResponse.of(
                schedules.findAll(PageRequests.of(page, size, Sort.by("name").and(Sort.by("id")))), this::summary);
    }

    @Transactional(readOnly = true)
    public ScheduleView get(long id) {
        return view(find(id));
    }

    @Transactional(readOnly = true)
    public ScheduleVersionView version(long id, int version) {
        ScheduleVersion stored = findVersion(id, version);
        LossWeightSpec spec = read(stored.getSpec());
        return new ScheduleVersionView(id, stored.getNumber(), Specs.type(spec), spec, stored.getCreatedAt());
    }

    /** Checks a request without storing anything; throws with every broken rule. */
    public void validate(ScheduleRequest request) {
        ScheduleRequestValidator.validate(request, json);
    }

    @Transactional
    public ScheduleView create(ScheduleRequest request) {
        ScheduleRequestValidator.ValidSchedule valid = ScheduleRequestValidator.validate(request, json);
        if (schedules.existsByNameIgnoreCase(valid.name())) {
            throw nameTaken(valid.name());
        }
        NamedSchedule schedule =
                NamedSchedule.create(valid.name(), valid.description(), write(valid.spec()), clock.instant());
        ScheduleView created = view(saveAndFlush(schedule, valid.name()));
        audit.record("loss-weight-schedule.create", target(created.id()), null, null, snapshot(created));
        return created;
    }

    /**
     * Renames and re-describes the schedule; a spec that differs from the latest version's becomes
     * the next version, the same spec adds none.
     */
    @Transactional
    public ScheduleView replace(long id, ScheduleRequest request) {
        NamedSchedule schedule = schedules.findForUpdate(id).orElseThrow(() -> notFound(id));
        Map<String, Object> before = snapshot(view(schedule));
        ScheduleRequestValidator.ValidSchedule valid = ScheduleRequestValidator.validate(request, json);
        if (schedules.existsByNameIgnoreCaseAndIdNot(valid.name(), id)) {
            throw nameTaken(valid.name());
        }
        schedule.rename(valid.name(), valid.description(), clock.instant());
        String spec = write(valid.spec());
        if (!spec.equals(write(read(schedule.latest().getSpec())))) {
            schedule.addVersion(spec, clock.instant());
        }
        ScheduleView after = view(saveAndFlush(schedule, valid.name()));
        audit.record("loss-weight-schedule.update", target(id), null, before, snapshot(after));
        return after;
    }

    /** Deletes the schedule and all its versions; 409 while a run (or anything else) references it. */
    @Transactional
    public void delete(long id) {
        NamedSchedule schedule = find(id);
        Map<String, Object> before = snapshot(view(schedule));
        try {
            schedules.delete(schedule);
            schedules.flush();
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("Loss-weight schedule '" + schedule.getName() + "' is still used by "
                    + referencingTable(e) + " and cannot be deleted");
        }
        audit.record("loss-weight-schedule.delete", target(id), schedule.getName(), before, null);
    }

    /**
     * The weight curve of a version (the latest when {@code version} is null) for {@code tasks}: a
     * task count ("2") or comma-separated names ("ctr,cvr"). 400 naming {@code tasks} when a per-task
     * array of the spec has another length.
     */
    @Transactional(readOnly = true)
    public SchedulePreview preview(long id, Integer version, String tasks, Integer epochs, Integer stepsPerEpoch) {
        ScheduleVersion stored = version == null ? latest(id) : findVersion(id, version);
        LossWeightSpec spec = read(stored.getSpec());
        PreviewParameters query = PreviewParameters.parse(tasks, epochs, stepsPerEpoch, Specs.unit(spec));
        checkFits(spec, query.tasks().size(), "tasks");
        return WeightCurve.preview(id, stored.getNumber(), spec, query);
    }

    /**
     * The weight curve of a spec that is not stored (an editor's draft): the spec is checked with the
     * same rules as on save, and every broken rule, of the spec and of the query, is reported at once.
     */
    public SchedulePreview preview(PreviewRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        new SpecValidator(violations).check(request.spec());
        LossWeightSpec spec = violations.isEmpty() ? json.treeToValue(request.spec(), LossWeightSpec.class) : null;
        PreviewParameters query = null;
        try {
            query = PreviewParameters.parse(
                    request.tasks(),
                    request.epochs(),
                    request.stepsPerEpoch(),
                    spec == null ? ScheduleUnit.EPOCH : Specs.unit(spec));
        } catch (InvalidInputException e) {
            violations.addAll(e.violations());
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        checkFits(spec, query.tasks().size(), "tasks");
        return WeightCurve.preview(null, null, spec, query);
    }

    /** The latest version of a schedule, as a run records it; {@link NotFoundException} when absent. */
    @Transactional(readOnly = true)
    public ScheduleVersionRef resolve(long id) {
        ScheduleVersion stored = latest(id);
        return new ScheduleVersionRef(id, stored.getNumber(), read(stored.getSpec()));
    }

    /** The spec of one version; {@link NotFoundException} when the schedule or the version is absent. */
    @Transactional(readOnly = true)
    public LossWeightSpec spec(long id, int version) {
        return read(findVersion(id, version).getSpec());
    }

    /** Throws, naming {@code tasks}, when a per-task array of the spec does not have {@code taskCount} entries. */
    public void checkFits(LossWeightSpec spec, int taskCount) {
        checkFits(spec, taskCount, "tasks");
    }

    /**
     * Throws {@link InvalidInputException} with one {@code fits-tasks} violation of {@code field} per
     * per-task array of the spec that does not have exactly {@code taskCount} entries.
     */
    public void checkFits(LossWeightSpec spec, int taskCount, String field) {
        if (taskCount < 1) {
            throw new IllegalArgumentException("taskCount must be at least 1, was " + taskCount);
        }
        List<FieldViolation> violations = new ArrayList<>();
        for (Map.Entry<String, Integer> array : Specs.perTaskLengths(spec).entrySet()) {
            if (array.getValue() != taskCount) {
                violations.add(new FieldViolation(
                        field,
                        "fits-tasks",
                        array.getKey() + " of the " + Specs.type(spec) + " schedule has " + array.getValue()
                                + " values, one per task, but there are " + taskCount + " tasks"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    /**
     * The schedule a task group implies when a run names none: the paper's ω_k(t) = ω_{k,0}·γ_k^t
     * (Eq. 10) with each task's {@code initialWeight} and {@code updateRatio}, t counting epochs.
     */
    public static LossWeightSpec defaultFor(List<TaskDefinition> tasks) {
        float[] initial = new float[tasks.size()];
        float[] gamma = new float[tasks.size()];
        for (int k = 0; k < tasks.size(); k++) {
            initial[k] = (float) tasks.get(k).initialWeight();
            gamma[k] = (float) tasks.get(k).updateRatio();
        }
        return new LossWeightSpec.Exponential(initial, gamma, ScheduleUnit.EPOCH);
    }

    private static String target(long id) {
        return "loss-weight-schedule/" + id;
    }

    /** What the audit log keeps of a schedule: its name and latest spec, not its version history. */
    private Map<String, Object> snapshot(ScheduleView schedule) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("name", schedule.name());
        snapshot.put("description", schedule.description());
        snapshot.put("version", schedule.version());
        snapshot.put("type", schedule.type());
        snapshot.put("spec", json.valueToTree(schedule.spec()));
        return snapshot;
    }

    private ScheduleView view(NamedSchedule schedule) {
        LossWeightSpec spec = read(schedule.latest().getSpec());
        List<ScheduleView.VersionSummary> summaries = schedule.getVersions().stream()
                .map(v -> new ScheduleView.VersionSummary(v.getNumber(), typeOf(v), v.getCreatedAt()))
                .toList();
        return new ScheduleView(
                schedule.getId(),
                schedule.getName(),
                schedule.getDescription(),
                schedule.getCurrentVersion(),
                Specs.type(spec),
                spec,
                summaries,
                schedule.getCreatedAt(),
                schedule.getUpdatedAt());
    }

    private ScheduleSummary summary(NamedSchedule schedule) {
        return new ScheduleSummary(
                schedule.getId(),
                schedule.getName(),
                schedule.getDescription(),
                schedule.getCurrentVersion(),
                typeOf(schedule.latest()),
                schedule.getCreatedAt(),
                schedule.getUpdatedAt());
    }

    private String typeOf(ScheduleVersion version) {
        return Specs.type(read(version.getSpec()));
    }

    private LossWeightSpec read(String specJson) {
        return json.readValue(specJson, LossWeightSpec.class);
    }

    /** The canonical JSON of a spec: what is stored, and what two specs are compared by. */
    private String write(LossWeightSpec spec) {
        return json.writeValueAsString(spec);
    }

    /** Flushes now so that a name taken by a concurrent request is reported here as a conflict. */
    private NamedSchedule saveAndFlush(NamedSchedule schedule, String name) {
        try {
            return schedules.saveAndFlush(schedule);
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(name);
        }
    }

    private NamedSchedule find(long id) {
        return schedules.findById(id).orElseThrow(() -> notFound(id));
    }

    private ScheduleVersion latest(long id) {
        return versions.findLatest(id).orElseThrow(() -> notFound(id));
    }

    private ScheduleVersion findVersion(long id, int version) {
        if (!schedules.existsById(id)) {
            throw notFound(id);
        }
        return versions.find(id, version)
                .orElseThrow(() -> new NotFoundException("Loss-weight schedule " + id + " version", version));
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("Loss-weight schedule", id);
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A loss-weight schedule named '" + name + "' already exists",
                List.of(new FieldViolation("name", "unique", "is already the name of another loss-weight schedule")));
    }

    private static String referencingTable(DataIntegrityViolationException e) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        Matcher matcher = REFERENCING_TABLE.matcher(message);
        return matcher.find() ? "'" + matcher.group(1) + "'" : "other records";
    }
}
