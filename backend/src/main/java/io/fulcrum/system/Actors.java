package io.fulcrum.system;

/**
 * Who makes a change, until sign-in exists: the {@value #HEADER} request header, or {@value
 * #ANONYMOUS} without one. The registry and the rollout record it in their histories.
 */
public final class Actors {

    public static final String HEADER = "X-Fulcrum-Actor";
    public static final String ANONYMOUS = "anonymous";
    public static final int MAX_LENGTH = 100;

    private Actors() {}

    /** The actor named by the header's value: at most 100 characters without control characters. */
    public static String of(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String value = header.strip();
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException(
                    new FieldViolation(HEADER, "max-length", "must be at most " + MAX_LENGTH + " characters"));
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(
                    new FieldViolation(HEADER, "pattern", "must not contain control characters"));
        }
        return value;
    }
}
