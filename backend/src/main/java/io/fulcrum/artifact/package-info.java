/**
 * Artifacts: checkpoints and model files that every node can read, by key. {@link
 * io.fulcrum.artifact.ArtifactStore} is the module's API; PostgreSQL holds the bytes by default (no
 * shared disk needed), a directory tree when {@code fulcrum.artifacts.store=filesystem}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Artifacts")
package io.fulcrum.artifact;
