package io.fulcrum.system;

/**
 * One broken rule of one input field.
 *
 * @param field the path of the field as the client wrote it, e.g. {@code tasks[1].loss}
 * @param rule a stable, machine-readable rule name, e.g. {@code required} or {@code fits-kind}
 * @param message what is wrong, for a person
 */
public record FieldViolation(String field, String rule, String message) {}
