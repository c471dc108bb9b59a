package io.fulcrum.system;

import java.util.List;

/** Input that breaks one or more rules; answered with 400 and every violation at once. */
public class InvalidInputException extends RuntimeException {

    private final List<FieldViolation> violations;

    public InvalidInputException(List<FieldViolation> violations) {
        super(summarize(violations));
        this.violations = List.copyOf(violations);
    }

    public InvalidInputException(FieldViolation violation) {
        this(List.of(violation));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    static String summarize(List<FieldViolation> violations) {
        StringBuilder text = new StringBuilder();
        for (FieldViolation v : violations) {
            text.append(text.isEmpty() ? "" : "; ")
                    .append(v.field())
                    .append(": ")
                    .append(v.message());
        }
        return text.toString();
    }
}
