package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A stored schedule with its latest spec and the list of all its versions. */
@Schema(name = "LossWeightSchedule", description = "A named loss-weight schedule, its latest spec and its versions")
public record ScheduleView(
        long id,
        String name,
        String description,

        @Schema(description = "Number of the latest version, from 1")
        int version,

        @Schema(example = "exponential") String type,
        @Schema(description = "The latest version's spec") LossWeightSpec spec,
        List<VersionSummary> versions,
        Instant createdAt,
        Instant updatedAt) {

    /** One version as listed with its schedule; {@code GET …/versions/{version}} gives its spec. */
    @Schema(name = "LossWeightScheduleVersionSummary")
    public record VersionSummary(int version, String type, Instant createdAt) {}
}
