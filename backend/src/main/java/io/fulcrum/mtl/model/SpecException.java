package io.fulcrum.mtl.model;

import java.util.List;

/** A model spec that cannot be built; every message starts with the path of the offending field. */
public final class SpecException extends IllegalArgumentException {

    private final List<String> violations;

    public SpecException(List<String> violations) {
        super(String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
