package io.fulcrum.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A registered model with its newest version and its aliases. */
@Schema(name = "RegisteredModel", description = "A named model, its latest version and its aliases")
public record RegisteredModelView(
        long id,
        String name,
        String description,

        @Schema(description = "The newest version; absent while the model has none")
        ModelVersionSummary latestVersion,

        @Schema(description = "Every alias and where it points, sorted by alias")
        List<AliasView> aliases,

        Instant createdAt) {}
