package io.fulcrum.rollout;

import io.fulcrum.system.FieldViolation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Rules of a {@link ScoringSpec}: exponents finite and in [0, 10] and naming tasks of the model,
 * and a length transform of a known type with the parameters it needs. Used for surfaces and
 * variants alike; {@code prefix} is the field path of the spec in the request, e.g. {@code
 * variants[1].scoring}.
 */
public final class ScoringValidator {

    public static final double MAX_EXPONENT = 10;

    private ScoringValidator() {}

    /** Violations of {@code spec}; {@code tasks} are the model's task names (null: not checked). */
    public static List<FieldViolation> check(String prefix, ScoringSpec spec, Collection<String> tasks) {
        List<FieldViolation> violations = new ArrayList<>();
        if (spec == null) {
            return violations;
        }
        for (Map.Entry<String, Double> e : spec.exponents().entrySet()) {
            String field = prefix + ".exponents." + e.getKey();
            Double w = e.getValue();
            if (w == null || !Double.isFinite(w) || w < 0 || w > MAX_EXPONENT) {
                violations.add(
                        new FieldViolation(field, "range", "an exponent must be a number in 0.." + (int) MAX_EXPONENT));
            }
            if (tasks != null && !tasks.contains(e.getKey())) {
                violations.add(new FieldViolation(
                        field, "known-task", "the model has no task '" + e.getKey() + "'; its tasks are " + tasks));
            }
        }
        LengthTransform f = spec.lengthTransform();
        String field = prefix + ".lengthTransform";
        switch (f.type() == null ? "" : f.type()) {
            case "none" -> {}
            case "sigmoid" -> {
                if (f.center() == null || !Double.isFinite(f.center())) {
                    violations.add(new FieldViolation(
                            field + ".center", "required", "a sigmoid needs a finite center, in seconds"));
                }
                checkScale(field, f, violations);
            }
            case "log" -> checkScale(field, f, violations);
            default ->
                violations.add(
                        new FieldViolation(field + ".type", "one-of", "the type must be one of none, sigmoid, log"));
        }
        return violations;
    }

    private static void checkScale(String field, LengthTransform f, List<FieldViolation> violations) {
        if (f.scale() == null || !Double.isFinite(f.scale()) || f.scale() <= 0) {
            violations.add(
                    new FieldViolation(field + ".scale", "positive", "the scale must be a positive number of seconds"));
        }
    }
}
