package io.fulcrum.artifact;

import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The rules of artifact keys: relative paths such as {@code runs/42/checkpoints/epoch-3.zip} made of
 * letters, digits, {@code . _ - /}, at most 500 characters, with no empty, {@code .} or {@code ..}
 * segment. Every store checks them, so a key means the same in PostgreSQL and on disk and can never
 * leave the filesystem store's root.
 */
public final class ArtifactKeys {

    public static final int MAX_LENGTH = 500;
    private static final Pattern CHARACTERS = Pattern.compile("[A-Za-z0-9._/-]+");

    private ArtifactKeys() {}

    /** Returns the key when it is valid; throws {@link InvalidInputException} naming {@code key} otherwise. */
    public static String check(String key) {
        return check("key", key, false);
    }

    /**
     * Returns the prefix when it is valid: the rules of a key, except that it may end with {@code /}
     * (e.g. {@code runs/42/}).
     */
    public static String checkPrefix(String prefix) {
        return check("prefix", prefix, true);
    }

    private static String check(String field, String value, boolean prefix) {
        if (value == null || value.isEmpty()) {
            throw invalid(field, "required", "must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid(field, "max-length", "must be at most " + MAX_LENGTH + " characters");
        }
        if (!CHARACTERS.matcher(value).matches()) {
            throw invalid(field, "pattern", "may contain only letters, digits, '.', '_', '-' and '/'");
        }
        if (value.startsWith("/")) {
            throw invalid(field, "relative", "must be relative: no leading '/'");
        }
        String path = prefix && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalid(field, "segments", "must not have an empty segment ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid(field, "segments", "must not have a '.' or '..' segment");
            }
        }
        return value;
    }

    private static InvalidInputException invalid(String field, String rule, String message) {
        return new InvalidInputException(new FieldViolation(field, rule, message));
    }
}
