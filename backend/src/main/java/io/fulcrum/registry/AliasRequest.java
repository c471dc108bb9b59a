package io.fulcrum.registry;

import io.swagger.v3.oas.annotations.media.Schema;

/** Where to point an alias, and why. */
@Schema(name = "ModelAliasRequest", description = "The version an alias should point at")
public record AliasRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3")
        Integer version,

        @Schema(maxLength = 500, example = "better VCR MSE on the test split")
        String reason) {}
