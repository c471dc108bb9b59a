package io.fulcrum.taskgroup;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The samples a task's loss counts (paper Eq. 9): only those where another task's label, or a named
 * column, is 1. Exactly one of the two is set; share and comment, for example, exist only after a
 * click.
 */
@Schema(
        description = "Condition restricting a task's loss to samples where another task's label or a column is 1. "
                + "Give exactly one of task and column.")
public record SampleSpace(
        @Schema(description = "Name of another task in the group whose label must be 1", example = "ctr")
        String task,

        @Schema(description = "Name of a dataset column that must be 1", example = "click")
        String column) {

    public static SampleSpace ofTask(String task) {
        return new SampleSpace(task, null);
    }

    public static SampleSpace ofColumn(String column) {
        return new SampleSpace(null, column);
    }
}
