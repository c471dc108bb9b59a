package io.fulcrum.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** Where an alias points now. */
@Schema(name = "ModelAlias", description = "An alias and the version it points at")
public record AliasView(@Schema(example = "champion") String alias, int version, Instant updatedAt) {}
