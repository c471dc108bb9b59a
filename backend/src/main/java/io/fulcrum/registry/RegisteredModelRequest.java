package io.fulcrum.registry;

import io.swagger.v3.oas.annotations.media.Schema;

/** A model to create, without versions yet. */
@Schema(description = "A model to create")
public record RegisteredModelRequest(
        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                maxLength = 100,
                description =
                        "Letters, digits, '.', '_' and '-', starting with a letter or digit; unique regardless of case",
                example = "video-ranker")
        String name,

        @Schema(maxLength = 2000) String description) {}
