package io.fulcrum.experiment.internal;

import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.dataset.DatasetView;
import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.experiment.ModelRequest;
import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.RunRequest;
import io.fulcrum.experiment.RunTask;
import io.fulcrum.experiment.TrainingSettings;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.Architecture;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.mtl.train.TrainingConfig;
import io.fulcrum.schedule.LossWeightSchedules;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.Json;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.taskgroup.TaskDefinition;
import io.fulcrum.taskgroup.TaskGroupManagement;
import io.fulcrum.taskgroup.TaskGroupView;
import io.fulcrum.taskgroup.TaskKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks a run request against the task group, the dataset and the schedule it names, and resolves
 * it into a {@link RunPlan}. A run that could not start is refused here, with every broken rule,
 * rather than queued to fail on a worker.
 */
@Component
public class RunPlanner {

    public static final int MAX_UNITS = 8192;
    public static final int MAX_LAYERS = 8;
    public static final int MAX_EXPERTS = 64;
    public static final int MAX_LEVELS = 8;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final TaskGroupManagement taskGroups;
    private final DatasetManagement datasets;
    private final LossWeightSchedules schedules;
    private final int defaultMaxAttempts;

    RunPlanner(
            TaskGroupManagement taskGroups,
            DatasetManagement datasets,
            LossWeightSchedules schedules,
            @Value("${fulcrum.runs.max-attempts:3}") int defaultMaxAttempts) {
        this.taskGroups = taskGroups;
        this.datasets = datasets;
        this.schedules = schedules;
        this.defaultMaxAttempts = defaultMaxAttempts;
    }

    /** Lost leases a run survives unless its request says otherwise ({@code fulcrum.runs.max-attempts}). */
    public int defaultMaxAttempts() {
        return defaultMaxAttempts;
    }

    public RunPlan plan(RunRequest request) {
        if (request == null) {
            throw new InvalidInputException(new FieldViolation("", "required", "a run is required"));
        }
        List<FieldViolation> v = new ArrayList<>();
        Context context = context(request.taskGroupId(), request.datasetId(), "", v);
        TrainingSettings training = checkTraining(request.training(), "training", context, v);
        ResourceRequest resources = checkResources(request.resources(), "resources", v);
        ScheduleChoice schedule = checkSchedule(request.lossWeightScheduleId(), "lossWeightScheduleId", context, v);
        int priority = request.priority() == null ? 0 : request.priority();
        if (priority < -100 || priority > 100) {
            v.add(new FieldViolation("priority", "range", "must be between -100 and 100"));
        }
        int maxAttempts = request.maxAttempts() == null ? defaultMaxAttempts : request.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > 10) {
            v.add(new FieldViolation("maxAttempts", "range", "must be between 1 and 10"));
        }
        ModelSpec spec = checkModel(request.model(), "model", context, training, v);
        checkBalancing(request.model(), "model", schedule == null ? List.of() : List.of(schedule), v);
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        return plan(
                request.model().displayName(),
                context,
                spec,
                training.withBalancing(request.model().balancing()),
                schedule,
                resources,
                priority,
                maxAttempts);
    }

    /** What several runs of one study share: the task group, the dataset and their tasks. */
    public record Context(TaskGroupView group, DatasetView dataset, List<RunTask> tasks) {}

    /** A loss-weight schedule as a run records it. */
    public record ScheduleChoice(Long id, Integer version, LossWeightSpec spec) {}

    public Context context(Long taskGroupId, Long datasetId, String prefix, List<FieldViolation> v) {
        TaskGroupView group = null;
        DatasetView dataset = null;
        if (taskGroupId == null) {
            v.add(new FieldViolation(prefix + "taskGroupId", "required", "must be given"));
        } else {
            try {
                group = taskGroups.get(taskGroupId);
            } catch (NotFoundException e) {
                v.add(new FieldViolation(
                        prefix + "taskGroupId", "exists", "task group " + taskGroupId + " does not exist"));
            }
        }
        if (datasetId == null) {
            v.add(new FieldViolation(prefix + "datasetId", "required", "must be given"));
        } else {
            try {
                dataset = datasets.get(datasetId);
            } catch (NotFoundException e) {
                v.add(new FieldViolation(prefix + "datasetId", "exists", "dataset " + datasetId + " does not exist"));
            }
        }
        if (group == null || dataset == null) {
            return null;
        }
        List<RunTask> tasks = tasks(group, dataset, prefix, v);
        return new Context(group, dataset, tasks);
    }

    /** Every task's label and sample-space column must be a numeric column of the dataset. */
    private static List<RunTask> tasks(
            TaskGroupView group, DatasetView dataset, String prefix, List<FieldViolation> v) {
        Map<String, ColumnSchema> columns = new LinkedHashMap<>();
        for (ColumnSchema c : dataset.columns()) {
            columns.put(c.name(), c);
        }
        Map<String, String> labelOfTask = new LinkedHashMap<>();
        for (TaskDefinition t : group.tasks()) {
            labelOfTask.put(t.name(), t.labelColumn());
        }
        List<RunTask> tasks = new ArrayList<>();
        for (TaskDefinition t : group.tasks()) {
            ColumnSchema label = columns.get(t.labelColumn());
            if (label == null || label.role() != ColumnRole.LABEL) {
                v.add(new FieldViolation(
                        prefix + "datasetId",
                        "has-label-column",
                        "dataset '" + dataset.name() + "' has no label column '" + t.labelColumn() + "' (task '"
                                + t.name() + "' of task group '" + group.name() + "')"));
            }
            String space = null;
            if (t.sampleSpace() != null) {
                space = t.sampleSpace().task() != null
                        ? labelOfTask.get(t.sampleSpace().task())
                        : t.sampleSpace().column();
                ColumnSchema spaceColumn = space == null ? null : columns.get(space);
                if (spaceColumn == null
                        || !(spaceColumn.role() == ColumnRole.LABEL || spaceColumn.role() == ColumnRole.DENSE)) {
                    v.add(new FieldViolation(
                            prefix + "datasetId",
                            "has-sample-space-column",
                            "dataset '" + dataset.name() + "' has no numeric column '" + space
                                    + "' for the sample space of task '" + t.name() + "'"));
                }
            }
            tasks.add(new RunTask(
                    t.name(),
                    t.kind() == TaskKind.BINARY ? TaskType.BINARY : TaskType.REGRESSION,
                    t.labelColumn(),
                    space,
                    t.metric().name()));
        }
        return tasks;
    }

    /**
     * A model's gradient balancing: the method's own rules, a model whose tasks share parameters, and no
     * schedule that learns the weights itself.
     */
    public void checkBalancing(
            ModelRequest model, String field, List<ScheduleChoice> schedules, List<FieldViolation> v) {
        if (model == null || model.balancing() == null || !model.balancing().active()) {
            if (model != null && model.balancing() != null) {
                model.balancing().validate().forEach(m -> v.add(violation(field, m)));
            }
            return;
        }
        model.balancing().validate().forEach(m -> v.add(violation(field, m)));
        String method = model.balancing().method();
        if (Architecture.SINGLE.cliName().equals(model.architecture())) {
            v.add(new FieldViolation(
                    field + ".balancing",
                    "shares-parameters",
                    method + " balances the tasks' gradients on shared parameters; single shares none"));
        }
        for (ScheduleChoice schedule : schedules) {
            if (schedule != null && schedule.spec() instanceof LossWeightSpec.Uncertainty) {
                v.add(new FieldViolation(
                        field + ".balancing",
                        "conflicts",
                        method + " cannot be combined with the uncertainty schedule, which learns the task weights"
                                + " itself"));
                break;
            }
        }
    }

    /** An engine message "balancing.c: must be…" as a violation of {@code field}.balancing.c. */
    private static FieldViolation violation(String field, String message) {
        int colon = message.indexOf(": ");
        String rule = message.contains("unknown") ? "one-of" : "range";
        return new FieldViolation(field + "." + message.substring(0, colon), rule, message.substring(colon + 2));
    }

    /** The settings with defaults filled in; sample weights resolved against the context's dataset, if known. */
    public TrainingSettings checkTraining(
            TrainingSettings given, String field, Context context, List<FieldViolation> v) {
        if (given != null && given.balancing() != null) {
            v.add(new FieldViolation(
                    field + ".balancing",
                    "read-only",
                    "set gradient balancing on the model (model.balancing, models[i].balancing)"));
        }
        TrainingSettings t = (given == null ? TrainingSettings.DEFAULTS : given).withDefaults();
        if (context != null) {
            t = t.withSampleWeights(sampleWeights(t.useSampleWeights(), field, context.dataset(), v));
        }
        range(v, field + ".epochs", t.epochs(), 1, 1000);
        range(v, field + ".batchSize", t.batchSize(), 1, 65536);
        if (!(t.learningRate() > 0 && t.learningRate() <= 1)) {
            v.add(new FieldViolation(field + ".learningRate", "range", "must be in (0, 1]"));
        }
        if (!(t.weightDecay() >= 0 && t.weightDecay() < 1)) {
            v.add(new FieldViolation(field + ".weightDecay", "range", "must be in [0, 1)"));
        }
        if (!t.optimizer().equals("adam")) {
            v.add(new FieldViolation(field + ".optimizer", "one-of", "must be adam"));
        }
        range(v, field + ".patience", t.patience(), 0, 1000);
        if (!TrainingConfig.isMonitor(t.monitor())) {
            v.add(new FieldViolation(
                    field + ".monitor",
                    "format",
                    "must be loss, auc or task:metric with metric auc, mse, mae or logloss"));
        }
        if (!(t.clipNorm() >= 0 && Double.isFinite(t.clipNorm()))) {
            v.add(new FieldViolation(field + ".clipNorm", "range", "must be >= 0"));
        }
        range(v, field + ".maxEmbeddingDim", t.maxEmbeddingDim(), 1, 256);
        return t;
    }

    /** On by default where the dataset has a WEIGHT column; null (nothing to weigh by) where it has none. */
    private static Boolean sampleWeights(Boolean given, String field, DatasetView dataset, List<FieldViolation> v) {
        boolean weighted = dataset.columns().stream().anyMatch(c -> c.role() == ColumnRole.WEIGHT);
        if (weighted) {
            return given == null || given;
        }
        if (Boolean.TRUE.equals(given)) {
            v.add(new FieldViolation(
                    field + ".useSampleWeights",
                    "has-weight-column",
                    "dataset '" + dataset.name() + "' has no WEIGHT column to weigh samples by"));
        }
        return null;
    }

    public ResourceRequest checkResources(ResourceRequest given, String field, List<FieldViolation> v) {
        ResourceRequest r = given == null ? ResourceRequest.CPU : given;
        if (r.device() != null && !r.device().equals("cpu") && !r.device().equals("gpu")) {
            v.add(new FieldViolation(field + ".device", "one-of", "must be cpu or gpu"));
            return ResourceRequest.CPU;
        }
        r = r.withDefaults();
        if (r.device().equals("gpu")) {
            range(v, field + ".gpuCount", r.gpuCount(), 1, 16);
        } else if (r.gpuCount() != 0) {
            v.add(new FieldViolation(field + ".gpuCount", "fits-device", "must be 0 for device cpu"));
        }
        for (int i = 0; i < r.workerLabels().size(); i++) {
            String label = r.workerLabels().get(i);
            if (label == null || !LABEL.matcher(label).matches()) {
                v.add(new FieldViolation(
                        field + ".workerLabels[" + i + "]", "format", "must be 1 to 64 of A-Z a-z 0-9 . _ : -"));
            }
        }
        return r;
    }

    public ScheduleChoice checkSchedule(Long id, String field, Context context, List<FieldViolation> v) {
        if (id == null) {
            return context == null
                    ? null
                    : new ScheduleChoice(
                            null,
                            null,
                            LossWeightSchedules.defaultFor(context.group().tasks()));
        }
        try {
            var ref = schedules.resolve(id);
            if (context != null) {
                try {
                    schedules.checkFits(ref.spec(), context.tasks().size());
                } catch (InvalidInputException e) {
                    for (FieldViolation f : e.violations()) {
                        v.add(new FieldViolation(field, "fits-task-group", "schedule " + id + ": " + f.message()));
                    }
                }
            }
            return new ScheduleChoice(ref.scheduleId(), ref.version(), ref.spec());
        } catch (NotFoundException e) {
            v.add(new FieldViolation(field, "exists", "loss-weight schedule " + id + " does not exist"));
            return null;
        }
    }

    /** Builds the engine's spec from the request, the task group's tasks and the dataset's inputs. */
    public ModelSpec checkModel(
            ModelRequest model, String field, Context context, TrainingSettings training, List<FieldViolation> v) {
        if (model == null) {
            v.add(new FieldViolation(field, "required", "must be given, e.g. {\"architecture\": \"ple\"}"));
            return null;
        }
        if (model.name() != null && !LABEL.matcher(model.name().strip()).matches()) {
            v.add(new FieldViolation(field + ".name", "format", "must be 1 to 64 of A-Z a-z 0-9 . _ : -"));
        }
        boolean complete = checkSizes(model, field, v);
        if (context == null || !complete) {
            // the engine's spec cannot hold a null layer size: nothing more to check without one
            return null;
        }
        List<String> groupTasks = context.tasks().stream().map(RunTask::name).toList();
        if (model.tasks() != null && !new HashSet<>(model.tasks()).equals(new HashSet<>(groupTasks))) {
            v.add(new FieldViolation(
                    field + ".tasks",
                    "matches-task-group",
                    "lists " + model.tasks() + " but task group '"
                            + context.group().name() + "' has " + groupTasks));
        }
        Architecture arch = model.architecture() == null
                ? null
                : Architecture.byName(model.architecture()).orElse(null);
        if (arch != null && arch.multiTask() && groupTasks.size() < 2) {
            v.add(new FieldViolation(
                    field + ".architecture",
                    "multi-task",
                    arch.cliName() + " needs a task group with at least 2 tasks; '"
                            + context.group().name() + "' has " + groupTasks.size()));
        }
        if (!v.isEmpty() || training == null) {
            specViolations(model.toSpec(new ModelSpec.Inputs(List.of("x"), List.of()), taskSpecs(context)), field, v);
            return null;
        }
        ModelSpec.Inputs inputs = datasets.modelInputs(context.dataset().id(), training.maxEmbeddingDim());
        ModelSpec spec = model.toSpec(inputs, taskSpecs(context));
        specViolations(spec, field, v);
        return spec;
    }

    private static List<ModelSpec.TaskSpec> taskSpecs(Context context) {
        return TrainingSplits.taskSpecs(context.tasks().stream()
                .map(t -> new TrainingSplits.TaskColumns(t.name(), t.type(), t.labelColumn(), t.spaceColumn()))
                .toList());
    }

    /** The engine's own rules, each message starting with the field path. */
    private static void specViolations(ModelSpec spec, String field, List<FieldViolation> v) {
        Set<String> seen = new HashSet<>();
        for (FieldViolation f : v) {
            seen.add(f.field());
        }
        List<String> funnel = spec.funnelViolations();
        for (String message : funnel) {
            String name = field + ".architecture";
            if (seen.add(name)) {
                v.add(new FieldViolation(name, "funnel", "the task group's " + message));
            }
        }
        for (String message : spec.validate()) {
            int colon = message.indexOf(": ");
            String path = colon < 0 ? "" : message.substring(0, colon);
            if (path.startsWith("tasks") || path.startsWith("inputs")) {
                continue; // task group and dataset problems are reported on their own fields (the funnel's above)
            }
            String name = field + (path.isEmpty() ? "" : "." + path);
            if (seen.add(name)) {
                v.add(new FieldViolation(name, rule(message), colon < 0 ? message : message.substring(colon + 2)));
            }
        }
    }

    private static String rule(String message) {
        if (message.contains("is required")) {
            return "required";
        }
        if (message.contains("unknown")) {
            return "one-of";
        }
        return message.contains(">=") || message.contains("[0, 1)") ? "range" : "valid";
    }

    /**
     * Upper bounds the engine does not impose, so that a typo cannot ask for a terabyte model; false when
     * a layer size is null, which the engine's spec cannot hold.
     */
    private static boolean checkSizes(ModelRequest m, String field, List<FieldViolation> v) {
        boolean complete = units(v, field + ".bottomUnits", m.bottomUnits());
        complete &= units(v, field + ".towerUnits", m.towerUnits());
        if (m.experts() != null) {
            complete &= units(v, field + ".experts.units", m.experts().units());
            maxOnly(v, field + ".experts.shared", m.experts().shared(), MAX_EXPERTS);
            maxOnly(v, field + ".experts.perTask", m.experts().perTask(), MAX_EXPERTS);
        }
        maxOnly(v, field + ".levels", m.levels(), MAX_LEVELS);
        return complete;
    }

    private static boolean units(List<FieldViolation> v, String field, List<Integer> units) {
        if (units == null) {
            return true;
        }
        if (units.size() > MAX_LAYERS) {
            v.add(new FieldViolation(field, "size", "at most " + MAX_LAYERS + " layers"));
        }
        boolean complete = true;
        for (int i = 0; i < units.size(); i++) {
            if (units.get(i) == null) {
                v.add(new FieldViolation(field + "[" + i + "]", "required", "must be a number of units"));
                complete = false;
            } else {
                maxOnly(v, field + "[" + i + "]", units.get(i), MAX_UNITS);
            }
        }
        return complete;
    }

    private static void maxOnly(List<FieldViolation> v, String field, Integer value, int max) {
        if (value != null && value > max) {
            v.add(new FieldViolation(field, "range", "must be <= " + max + ", got " + value));
        }
    }

    private static void range(List<FieldViolation> v, String field, int value, int min, int max) {
        if (value < min || value > max) {
            v.add(new FieldViolation(field, "range", "must be between " + min + " and " + max + ", got " + value));
        }
    }

    public RunPlan plan(
            String label,
            Context context,
            ModelSpec spec,
            TrainingSettings training,
            ScheduleChoice schedule,
            ResourceRequest resources,
            int priority,
            int maxAttempts) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("taskGroupId", context.group().id());
        identity.put("taskGroupVersion", context.group().version());
        identity.put("datasetId", context.dataset().id());
        identity.put("tasks", context.tasks());
        identity.put("spec", spec);
        identity.put("training", training);
        identity.put("lossWeights", schedule.spec());
        return new RunPlan(
                label,
                context.group().id(),
                context.group().version(),
                context.dataset().id(),
                context.tasks(),
                spec,
                training,
                schedule.spec(),
                schedule.id(),
                schedule.version(),
                resources,
                priority,
                maxAttempts,
                sha256(Json.MAPPER.writeValueAsString(identity)));
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
