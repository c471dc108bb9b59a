package io.fulcrum.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/** The version an alias points at, and since when. */
@Embeddable
record AliasTarget(
        @Column(name = "version") int version,
        @Column(name = "updated_at") Instant updatedAt) {}
