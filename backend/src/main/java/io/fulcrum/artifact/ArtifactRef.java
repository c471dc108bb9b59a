package io.fulcrum.artifact;

import java.time.Instant;

/**
 * A stored artifact: its key, its size in bytes, the SHA-256 of its content (lower-case hex) and
 * when this content was written (to the microsecond).
 */
public record ArtifactRef(String key, long size, String sha256, Instant createdAt) {}
