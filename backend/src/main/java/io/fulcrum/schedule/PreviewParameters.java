package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.ScheduleUnit;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query of a preview: the tasks (a count, or comma-separated names), how many epochs, and how
 * many steps an epoch has (used by step-unit schedules, which are previewed step by step).
 */
record PreviewParameters(List<String> tasks, int epochs, int stepsPerEpoch) {

    static final int DEFAULT_EPOCHS = 10;
    static final int MAX_EPOCHS = 1000;
    static final int DEFAULT_STEPS_PER_EPOCH = 100;
    static final int MAX_STEPS_PER_EPOCH = 100_000;
    static final long MAX_POINTS = 10_000;
    private static final Pattern COUNT = Pattern.compile("\\d{1,9}");
    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    PreviewParameters {
        tasks = List.copyOf(tasks);
    }

    static PreviewParameters parse(String tasks, Integer epochs, Integer stepsPerEpoch, ScheduleUnit unit) {
        List<FieldViolation> violations = new ArrayList<>();
        List<String> names = tasks(tasks, violations);
        int e = epochs == null ? DEFAULT_EPOCHS : epochs;
        if (e < 1 || e > MAX_EPOCHS) {
            violations.add(new FieldViolation("epochs", "range", "must be between 1 and " + MAX_EPOCHS));
        }
        int steps = stepsPerEpoch == null ? DEFAULT_STEPS_PER_EPOCH : stepsPerEpoch;
        if (steps < 1 || steps > MAX_STEPS_PER_EPOCH) {
            violations.add(
                    new FieldViolation("stepsPerEpoch", "range", "must be between 1 and " + MAX_STEPS_PER_EPOCH));
        } else if (unit == ScheduleUnit.STEP && e >= 1 && (long) e * steps > MAX_POINTS) {
            violations.add(new FieldViolation(
                    "stepsPerEpoch",
                    "max-points",
                    "this schedule counts steps, one point each: epochs × stepsPerEpoch must be at most " + MAX_POINTS
                            + ", was " + (long) e * steps));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new PreviewParameters(names, e, steps);
    }

    private static List<String> tasks(String tasks, List<FieldViolation> violations) {
        String given = tasks == null ? "" : tasks.strip();
        if (given.isEmpty()) {
            violations.add(
                    new FieldViolation("tasks", "required", "must be a task count or comma-separated task names"));
            return List.of();
        }
        if (COUNT.matcher(given).matches()) {
            int count = Integer.parseInt(given);
            if (count < 1 || count > SpecValidator.MAX_TASKS) {
                violations.add(
                        new FieldViolation("tasks", "range", "must be between 1 and " + SpecValidator.MAX_TASKS));
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (int k = 1; k <= count; k++) {
                names.add("task" + k);
            }
            return names;
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : given.split(",", -1)) {
            String name = part.strip();
            if (!TASK_NAME.matcher(name).matches()) {
                violations.add(new FieldViolation(
                        "tasks",
                        "pattern",
                        "'" + name + "' is not a task name: a letter, then letters, digits and underscores"));
            } else if (!seen.add(name)) {
                violations.add(new FieldViolation("tasks", "unique", "names '" + name + "' twice"));
            }
            names.add(name);
        }
        if (names.size() > SpecValidator.MAX_TASKS) {
            violations.add(
                    new FieldViolation("tasks", "max-size", "must name at most " + SpecValidator.MAX_TASKS + " tasks"));
        }
        return names;
    }
}
