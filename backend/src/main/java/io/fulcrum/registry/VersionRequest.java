package io.fulcrum.registry;

import io.swagger.v3.oas.annotations.media.Schema;

/** Which run to register as the next version of a model. */
@Schema(name = "ModelVersionRequest", description = "A SUCCEEDED run to register as the model's next version")
public record VersionRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "42")
        Long runId,

        @Schema(maxLength = 2000) String description) {}
