package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.ScoringSpec;
import io.swagger.v3.oas.annotations.media.Schema;

/** A surface as a client creates or edits it. */
@Schema(description = "A surface to create (POST) or edit (PUT; name comes from the path)")
public record SurfaceRequest(
        @Schema(
                description = "1 to 60 lowercase letters, digits and '-', starting with a letter or digit; unique;"
                        + " cannot be changed",
                example = "home-feed")
        String name,

        @Schema(
                description = "A registered model; its champion alias serves when no experiment runs",
                example = "video-ranker")
        String modelName,

        @Schema(
                description = "The default scoring: {exponents: {task: w}, lengthTransform: {type, center, scale}};"
                        + " equal weights without a length factor when absent")
        ScoringSpec scoring,

        @Schema(description = "At most 2000 characters") String description) {}
