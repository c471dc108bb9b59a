package io.fulcrum.rollout;

import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/** Violations of one request, at most {@link #MAX} of them: a 1,000-candidate mistake needs no 1,000 lines. */
final class Violations {

    static final int MAX = 50;

    private final List<FieldViolation> list = new ArrayList<>();

    void add(String field, String rule, String message) {
        if (list.size() < MAX) {
            list.add(new FieldViolation(field, rule, message));
        }
    }

    boolean any() {
        return !list.isEmpty();
    }

    void throwIfAny() {
        if (any()) {
            throw new InvalidInputException(list);
        }
    }
}
