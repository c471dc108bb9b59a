package io.fulcrum.system;

import java.util.List;

/** The request is valid but clashes with what is stored (a taken name, a referenced row); 409. */
public class ConflictException extends RuntimeException {

    private final List<FieldViolation> violations;

    public ConflictException(String message, List<FieldViolation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public ConflictException(String message) {
        this(message, List.of());
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
