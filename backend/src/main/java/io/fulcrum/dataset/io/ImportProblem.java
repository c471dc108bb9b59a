package io.fulcrum.dataset.io;

/**
 * A line an import could not use.
 *
 * @param line the 1-based line number in the file
 * @param column the offending column's name, or null when the whole line is wrong
 * @param message what is wrong with it
 */
public record ImportProblem(long line, String column, String message) {

    @Override
    public String toString() {
        return "line " + line + (column == null ? "" : ", column " + column) + ": " + message;
    }
}
