package io.fulcrum.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One move of an alias: who moved it when, from which version to which, and why; nulls are written out. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(
        name = "ModelAliasMove",
        description = "A move of an alias; null fromVersion = created, null toVersion = removed")
public record AliasMoveView(
        String alias, Integer fromVersion, Integer toVersion, String movedBy, Instant movedAt, String reason) {}
