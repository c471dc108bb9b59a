package io.fulcrum.registry;

import io.fulcrum.system.Actors;
import io.fulcrum.system.FieldViolation;
import java.util.List;
import java.util.regex.Pattern;

/** The registry's naming rules, each reported as a {@link FieldViolation} with a stable rule name. */
final class RegistryRules {

    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_ALIAS = 40;
    static final int MAX_REASON = 500;
    static final String LATEST = "latest";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9-]+");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,9}");

    private RegistryRules() {}

    /** Adds what is wrong with a model name to {@code violations}; returns it stripped. */
    static String name(String name, List<FieldViolation> violations) {
        String value = name == null ? "" : name.strip();
        if (value.isEmpty()) {
            violations.add(new FieldViolation("name", "required", "must not be blank"));
        } else if (value.length() > MAX_NAME) {
            violations.add(new FieldViolation("name", "max-length", "must be at most " + MAX_NAME + " characters"));
        } else if (!NAME.matcher(value).matches()) {
            violations.add(new FieldViolation(
                    "name",
                    "pattern",
                    "may contain only letters, digits, '.', '_' and '-', starting with a letter or digit"));
        }
        return value;
    }

    static String description(String description, List<FieldViolation> violations) {
        String value = description == null ? "" : description.strip();
        if (value.length() > MAX_DESCRIPTION) {
            violations.add(new FieldViolation(
                    "description", "max-length", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        return value;
    }

    /** An alias that may be set: 1 to 40 lowercase letters, digits or '-'; not {@code latest}, not a number. */
    static void alias(String alias, List<FieldViolation> violations) {
        if (alias == null || alias.isEmpty()) {
            violations.add(new FieldViolation("alias", "required", "must not be empty"));
        } else if (alias.length() > MAX_ALIAS) {
            violations.add(new FieldViolation("alias", "max-length", "must be at most " + MAX_ALIAS + " characters"));
        } else if (!ALIAS.matcher(alias).matches()) {
            violations.add(
                    new FieldViolation("alias", "pattern", "may contain only lowercase letters, digits and '-'"));
        } else if (alias.equals(LATEST)) {
            violations.add(new FieldViolation(
                    "alias", "reserved", "'latest' always means the newest version and cannot be set"));
        } else if (alias.chars().allMatch(Character::isDigit)) {
            violations.add(new FieldViolation("alias", "reserved", "must not be a number: numbers name versions"));
        }
    }

    static String reason(String reason, List<FieldViolation> violations) {
        String value = reason == null || reason.isBlank() ? null : reason.strip();
        if (value != null && value.length() > MAX_REASON) {
            violations.add(new FieldViolation("reason", "max-length", "must be at most " + MAX_REASON + " characters"));
        }
        return value;
    }
    /** Who makes a change: the caller's name for background work, else the authenticated actor. */
    static String actor(String given) {
        return given == null || given.isBlank() ? Actors.current() : given;
    }

    /** A version number as written in a path, or -1 when it is not one. */
    static int versionNumber(String text) {
        return VERSION.matcher(text).matches() ? Integer.parseInt(text) : -1;
    }
}
