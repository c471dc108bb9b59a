package io.fulcrum.rollout.internal;

import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/** Violations of one request, at most {@link #MAX} of them: a 1,000-candidate mistake needs no 1,000 lines. */
public final class Violations {

    public static final int MAX = 50;

    private final List<FieldViolation> list = new ArrayList<>();

    public void add(String field, String rule, String message) {
        if (list.size() < MAX) {
            list.add(new FieldViolation(field, rule, message));
        }
    }

    public boolean any() {
        return !list.isEmpty();
    }

    public void throwIfAny() {
        if (any()) {
            throw new InvalidInputException(list);
        }
    }
}
