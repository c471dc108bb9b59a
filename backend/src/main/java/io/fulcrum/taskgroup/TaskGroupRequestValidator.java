package io.fulcrum.taskgroup;

import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a whole {@link TaskGroupRequest} in one pass and reports every broken rule, so a client
 * (or the dashboard form) can fix everything at once. Returns the normalised definition.
 */
final class TaskGroupRequestValidator {

    static final int MAX_GROUP_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_TASK_NAME = 64;
    static final int MAX_COLUMN_NAME = 128;
    static final int MAX_TASKS = 32;
    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final List<FieldViolation> violations = new ArrayList<>();

    private TaskGroupRequestValidator() {}

    static TaskGroupDefinition validate(TaskGroupRequest request) {
        return new TaskGroupRequestValidator().check(request);
    }

    private TaskGroupDefinition check(TaskGroupRequest request) {
        String name = requiredText("name", request.name(), MAX_GROUP_NAME);
        String description =
                request.description() == null ? "" : request.description().strip();
        maxLength("description", description, MAX_DESCRIPTION);

        List<TaskDefinition> tasks = new ArrayList<>();
        if (request.tasks() == null || request.tasks().isEmpty()) {
            violations.add(new FieldViolation("tasks", "min-size", "must contain at least one task"));
        } else if (request.tasks().size() > MAX_TASKS) {
            violations.add(new FieldViolation("tasks", "max-size", "must contain at most " + MAX_TASKS + " tasks"));
        } else {
            for (int i = 0; i < request.tasks().size(); i++) {
                tasks.add(task("tasks[" + i + "]", request.tasks().get(i)));
            }
            checkUniqueNames(tasks);
            checkSampleSpaces(tasks);
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new TaskGroupDefinition(name, description, tasks);
    }

    /** Returns a possibly incomplete task (nulls where invalid); only used when no violation is found. */
    private TaskDefinition task(String path, TaskGroupRequest.TaskRequest task) {
        if (task == null) {
            violations.add(new FieldViolation(path, "required", "must be a task object"));
            return null;
        }
        String name = requiredText(path + ".name", task.name(), MAX_TASK_NAME);
        if (name != null && !TASK_NAME.matcher(name).matches()) {
            violations.add(new FieldViolation(
                    path + ".name",
                    "pattern",
                    "must start with a letter and contain only letters, digits and underscores"));
        }
        TaskKind kind = requiredEnum(path + ".kind", task.kind(), TaskKind.class);
        String labelColumn = requiredText(path + ".labelColumn", task.labelColumn(), MAX_COLUMN_NAME);

        TaskLoss loss = optionalEnum(path + ".loss", task.loss(), TaskLoss.class);
        if (loss != null && kind != null && !loss.fits(kind)) {
            violations.add(new FieldViolation(
                    path + ".loss",
                    "fits-kind",
                    loss + " does not fit a " + kind + " task; use " + TaskLoss.defaultFor(kind)));
        }
        EvaluationMetric metric = optionalEnum(path + ".metric", task.metric(), EvaluationMetric.class);
        if (metric != null && kind != null && !metric.fits(kind)) {
            violations.add(new FieldViolation(
                    path + ".metric",
                    "fits-kind",
                    metric + " does not fit a " + kind + " task; use one of " + fitting(kind)));
        }
        SampleSpace sampleSpace = sampleSpace(path + ".sampleSpace", task.sampleSpace());
        double initialWeight = positive(path + ".initialWeight", task.initialWeight());
        double updateRatio = positive(path + ".updateRatio", task.updateRatio());
        if (kind == null) {
            return new TaskDefinition(name, null, labelColumn, loss, metric, sampleSpace, initialWeight, updateRatio);
        }
        return new TaskDefinition(
                name,
                kind,
                labelColumn,
                loss == null ? TaskLoss.defaultFor(kind) : loss,
                metric == null ? EvaluationMetric.defaultFor(kind) : metric,
                sampleSpace,
                initialWeight,
                updateRatio);
    }

    private SampleSpace sampleSpace(String path, SampleSpace given) {
        if (given == null) {
            return null;
        }
        String task = blankToNull(given.task());
        String column = blankToNull(given.column());
        if ((task == null) == (column == null)) {
            violations.add(new FieldViolation(
                    path,
                    "exactly-one",
                    "must name either a task or a column whose value 1 puts a sample in the space"));
            return null;
        }
        if (column != null) {
            maxLength(path + ".column", column, MAX_COLUMN_NAME);
        }
        return new SampleSpace(task, column);
    }

    private void checkUniqueNames(List<TaskDefinition> tasks) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskDefinition task = tasks.get(i);
            if (task == null || task.name() == null) {
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(task.name(), i);
            if (earlier != null) {
                violations.add(new FieldViolation(
                        "tasks[" + i + "].name",
                        "unique",
                        "'" + task.name() + "' is already the name of tasks[" + earlier + "]"));
            }
        }
    }

    /** A condition must name another task of the group, and conditions must not chase each other. */
    private void checkSampleSpaces(List<TaskDefinition> tasks) {
        Map<String, String> conditionOf = new HashMap<>();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskDefinition task = tasks.get(i);
            if (task != null && task.name() != null) {
                indexOf.putIfAbsent(task.name(), i);
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            TaskDefinition task = tasks.get(i);
            if (task == null || task.sampleSpace() == null || task.sampleSpace().task() == null) {
                continue;
            }
            String target = task.sampleSpace().task();
            if (!indexOf.containsKey(target)) {
                violations.add(new FieldViolation(
                        "tasks[" + i + "].sampleSpace.task",
                        "known-task",
                        "names no task of this group: '" + target + "'"));
            } else if (task.name() != null) {
                conditionOf.put(task.name(), target);
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (TaskDefinition task : tasks) {
            if (task == null || task.name() == null || reported.contains(task.name())) {
                continue;
            }
            List<String> cycle = cycleFrom(task.name(), conditionOf);
            if (!cycle.isEmpty()) {
                reported.addAll(cycle);
                violations.add(new FieldViolation(
                        "tasks[" + indexOf.get(task.name()) + "].sampleSpace.task",
                        "acyclic",
                        "sample-space conditions form a cycle: " + String.join(" → ", cycle)));
            }
        }
    }

    /** Each task has at most one condition, so following it either ends or comes back to the start. */
    private static List<String> cycleFrom(String start, Map<String, String> conditionOf) {
        List<String> path = new ArrayList<>(List.of(start));
        String next = conditionOf.get(start);
        while (next != null && path.size() <= conditionOf.size()) {
            path.add(next);
            if (next.equals(start)) {
                return path;
            }
            next = conditionOf.get(next);
        }
        return List.of();
    }

    private String requiredText(String field, String value, int maxLength) {
        String text = blankToNull(value);
        if (text == null) {
            violations.add(new FieldViolation(field, "required", "must not be blank"));
            return null;
        }
        maxLength(field, text, maxLength);
        return text;
    }

    private void maxLength(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            violations.add(new FieldViolation(field, "max-length", "must be at most " + maxLength + " characters"));
        }
    }

    private <E extends Enum<E>> E requiredEnum(String field, String value, Class<E> type) {
        if (blankToNull(value) == null) {
            violations.add(new FieldViolation(field, "required", "must be one of " + names(type)));
            return null;
        }
        return optionalEnum(field, value, type);
    }

    private <E extends Enum<E>> E optionalEnum(String field, String value, Class<E> type) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.add(
                    new FieldViolation(field, "one-of", "must be one of " + names(type) + ", was '" + text + "'"));
            return null;
        }
    }

    private double positive(String field, Double value) {
        if (value == null) {
            return 1.0;
        }
        if (!(value > 0) || value.isInfinite()) {
            violations.add(new FieldViolation(field, "positive", "must be a finite number greater than 0"));
        }
        return value;
    }

    private static String fitting(TaskKind kind) {
        return Arrays.stream(EvaluationMetric.values())
                .filter(m -> m.fits(kind))
                .map(Enum::name)
                .collect(Collectors.joining(", "));
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
