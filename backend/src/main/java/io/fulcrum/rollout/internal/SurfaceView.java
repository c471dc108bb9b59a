package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.ScoringSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A surface as stored. */
@Schema(name = "Surface", description = "A place that asks for rankings, and the model that serves it")
public record SurfaceView(
        long id,
        @Schema(example = "home-feed") String name,
        @Schema(example = "video-ranker") String modelName,

        @Schema(description = "The scoring of the champion route")
        ScoringSpec scoring,

        String description,
        Instant createdAt,
        Instant updatedAt) {}
