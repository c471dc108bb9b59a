package io.fulcrum.taskgroup;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A stored task group as the API and the dashboard show it. */
@Schema(name = "TaskGroup", description = "A stored task group")
public record TaskGroupView(
        long id,
        String name,
        String description,
        List<TaskDefinition> tasks,
        @Schema(description = "Incremented by every change") long version,
        Instant createdAt,
        Instant updatedAt) {}
