package io.fulcrum.taskgroup;

import java.util.List;

/** A task group as stored: validated, trimmed, with every default filled in. */
public record TaskGroupDefinition(String name, String description, List<TaskDefinition> tasks) {

    public TaskGroupDefinition {
        tasks = List.copyOf(tasks);
    }
}
