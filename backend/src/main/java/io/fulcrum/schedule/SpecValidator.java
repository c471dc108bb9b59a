package io.fulcrum.schedule;

import io.fulcrum.system.FieldViolation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Checks the JSON of a {@link io.fulcrum.mtl.loss.LossWeightSpec} field by field, so that every
 * broken rule is reported with its path ({@code spec.gamma[1]}) rather than as the first error of
 * the JSON binding. Per-task arrays are checked for their shape and values; whether their length
 * fits a task count is only known at preview or run time ({@code LossWeightSchedules.checkFits}).
 */
final class SpecValidator {

    static final int MAX_TASKS = 32;
    static final double MAX_GAMMA = 2.0;
    static final double MAX_LOG_VARIANCE = 20.0;
    static final int MAX_BOUNDARIES = 1000;
    private static final Map<String, Set<String>> PROPERTIES = Map.of(
            "constant", Set.of("weights"),
            "exponential", Set.of("initial", "gamma", "unit"),
            "warmup", Set.of("start", "target", "length", "unit"),
            "piecewise", Set.of("boundaries", "values", "unit"),
            "dwa", Set.of("temperature"),
            "uncertainty", Set.of("initialLogVariance"));

    private final List<FieldViolation> violations;

    SpecValidator(List<FieldViolation> violations) {
        this.violations = violations;
    }

    void check(JsonNode spec) {
        if (absent(spec)) {
            add("spec", "required", "must be given: an object with a type, e.g. {\"type\": \"constant\"}");
            return;
        }
        if (!spec.isObject()) {
            add("spec", "type", "must be an object");
            return;
        }
        JsonNode type = spec.get("type");
        if (absent(type)) {
            add("spec.type", "required", "must be one of " + String.join(", ", Specs.TYPES));
            return;
        }
        if (!type.isString()) {
            add("spec.type", "type", "must be a string");
            return;
        }
        Set<String> known = PROPERTIES.get(type.stringValue());
        if (known == null) {
            add(
                    "spec.type",
                    "one-of",
                    "must be one of " + String.join(", ", Specs.TYPES) + ", was '" + type.stringValue() + "'");
            return;
        }
        for (String property : spec.propertyNames()) {
            if (!property.equals("type") && !known.contains(property)) {
                add(
                        "spec." + property,
                        "known-property",
                        "is not a property of a " + type.stringValue() + " schedule, which has "
                                + String.join(", ", new TreeSet<>(known)));
            }
        }
        switch (type.stringValue()) {
            case "constant" -> weights("spec.weights", spec.get("weights"), false, true);
            case "exponential" -> exponential(spec);
            case "warmup" -> warmup(spec);
            case "piecewise" -> piecewise(spec);
            case "dwa" -> positive("spec.temperature", spec.get("temperature"));
            default -> logVariance(spec.get("initialLogVariance"));
        }
    }

    private void exponential(JsonNode spec) {
        Integer initial = weights("spec.initial", spec.get("initial"), false, true);
        Integer gamma = numbers("spec.gamma", spec.get("gamma"), true, this::ratio);
        sameLength("spec.gamma", gamma, "spec.initial", initial);
        unit(spec.get("unit"));
    }

    private void warmup(JsonNode spec) {
        Integer start = weights("spec.start", spec.get("start"), false, false);
        Integer target = weights("spec.target", spec.get("target"), false, true);
        sameLength("spec.target", target, "spec.start", start);
        JsonNode length = spec.get("length");
        if (absent(length)) {
            add("spec.length", "required", "must be given: the number of steps or epochs the warmup lasts");
        } else if (wholeNumber("spec.length", length) && length.longValue() < 1) {
            add("spec.length", "min", "must be at least 1");
        }
        unit(spec.get("unit"));
    }

    private void piecewise(JsonNode spec) {
        Integer boundaries = boundaries(spec.get("boundaries"));
        JsonNode values = spec.get("values");
        if (absent(values)) {
            add("spec.values", "required", "must be given: one list of weights per piece");
        } else if (!values.isArray()) {
            add("spec.values", "type", "must be a list of weight lists");
        } else {
            if (boundaries != null && values.size() != boundaries + 1) {
                add(
                        "spec.values",
                        "size",
                        "must have one entry more than spec.boundaries (" + (boundaries + 1) + "), has "
                                + values.size());
            }
            Integer first = null;
            for (int i = 0; i < values.size(); i++) {
                String path = "spec.values[" + i + "]";
                Integer size = weights(path, values.get(i), true, true);
                if (first == null) {
                    first = size;
                } else if (size != null && !size.equals(first)) {
                    add(path, "same-length", "must have as many weights as spec.values[0] (" + first + ")");
                }
            }
        }
        unit(spec.get("unit"));
    }

    private Integer boundaries(JsonNode node) {
        if (absent(node)) {
            add("spec.boundaries", "required", "must be given: the steps or epochs where the next piece starts");
            return null;
        }
        if (!node.isArray()) {
            add("spec.boundaries", "type", "must be a list of whole numbers");
            return null;
        }
        if (node.size() > MAX_BOUNDARIES) {
            add("spec.boundaries", "max-size", "must have at most " + MAX_BOUNDARIES + " entries");
            return null;
        }
        Long previous = null;
        for (int i = 0; i < node.size(); i++) {
            String path = "spec.boundaries[" + i + "]";
            JsonNode boundary = node.get(i);
            if (!wholeNumber(path, boundary)) {
                previous = null;
                continue;
            }
            long value = boundary.longValue();
            if (value < 1) {
                add(path, "min", "must be at least 1: piece 0 starts at 0");
            } else if (previous != null && value <= previous) {
                add(path, "increasing", "must be greater than spec.boundaries[" + (i - 1) + "] (" + previous + ")");
            }
            previous = value;
        }
        return node.size();
    }

    /** A per-task list of loss weights: each finite and at least 0, optionally at least one above 0. */
    private Integer weights(String path, JsonNode node, boolean required, boolean somePositive) {
        Integer size = numbers(path, node, required, this::weight);
        if (size != null && somePositive) {
            boolean allNumbers = true;
            boolean anyPositive = false;
            for (JsonNode value : node.values()) {
                allNumbers &= value.isNumber();
                anyPositive |= value.isNumber() && doubleOf(value) > 0;
            }
            if (allNumbers && !anyPositive) {
                add(path, "any-positive", "must give at least one task a weight above 0");
            }
        }
        return size;
    }

    /** Checks a per-task list's shape and each number; returns its size when the shape is right. */
    private Integer numbers(String path, JsonNode node, boolean required, ValueRule rule) {
        if (absent(node)) {
            if (required) {
                add(path, "required", "must be given: one value per task");
            }
            return null;
        }
        if (!node.isArray()) {
            add(path, "type", "must be a list of numbers, one per task");
            return null;
        }
        if (node.isEmpty()) {
            add(path, "min-size", "must have one value per task, at least one");
            return null;
        }
        if (node.size() > MAX_TASKS) {
            add(path, "max-size", "must have at most " + MAX_TASKS + " values, one per task");
            return null;
        }
        for (int i = 0; i < node.size(); i++) {
            String element = path + "[" + i + "]";
            JsonNode value = node.get(i);
            if (!value.isNumber()) {
                add(element, "type", "must be a number");
            } else {
                rule.check(element, doubleOf(value));
            }
        }
        return node.size();
    }

    private void weight(String path, double value) {
        if (!Float.isFinite((float) value)) {
            add(path, "finite", "must be a finite number within float range");
        } else if (value < 0) {
            add(path, "min", "must be at least 0");
        }
    }

    private void ratio(String path, double value) {
        if (!(value > 0 && value <= MAX_GAMMA)) {
            add(
                    path,
                    "range",
                    "must be greater than 0 and at most " + MAX_GAMMA + " (γ^t grows without bound above 1)");
        }
    }

    private void positive(String path, JsonNode node) {
        if (absent(node)) {
            return;
        }
        if (!node.isNumber()) {
            add(path, "type", "must be a number");
        } else if (!(doubleOf(node) > 0) || !Float.isFinite((float) doubleOf(node))) {
            add(path, "positive", "must be a finite number greater than 0");
        }
    }

    private void logVariance(JsonNode node) {
        if (absent(node)) {
            return;
        }
        if (!node.isNumber()) {
            add("spec.initialLogVariance", "type", "must be a number");
        } else if (!(Math.abs(doubleOf(node)) <= MAX_LOG_VARIANCE)) {
            add(
                    "spec.initialLogVariance",
                    "range",
                    "must be a finite number between " + -MAX_LOG_VARIANCE + " and " + MAX_LOG_VARIANCE);
        }
    }

    private void unit(JsonNode node) {
        if (absent(node)) {
            return;
        }
        if (!node.isString()) {
            add("spec.unit", "type", "must be a string");
        } else if (!node.stringValue().equals("epoch") && !node.stringValue().equals("step")) {
            add("spec.unit", "one-of", "must be one of epoch, step, was '" + node.stringValue() + "'");
        }
    }

    /**
     * The number as a double, ±infinity or 0 where it lies beyond double's range: Jackson's own
     * {@code doubleValue()} throws for such a number instead.
     */
    private static double doubleOf(JsonNode number) {
        return number.numberValue().doubleValue();
    }

    private boolean wholeNumber(String path, JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            add(path, "type", "must be a whole number");
            return false;
        }
        return true;
    }

    private void sameLength(String path, Integer size, String otherPath, Integer otherSize) {
        if (size != null && otherSize != null && !size.equals(otherSize)) {
            add(path, "same-length", "must have as many values as " + otherPath + " (" + otherSize + ")");
        }
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private void add(String field, String rule, String message) {
        violations.add(new FieldViolation(field, rule, message));
    }

    @FunctionalInterface
    private interface ValueRule {
        void check(String path, double value);
    }
}
