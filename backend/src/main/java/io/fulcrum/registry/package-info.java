/**
 * The model registry: named models whose versions are registered from SUCCEEDED runs (a copy of the
 * run's model artifact, its spec, tasks, task group, dataset, metrics snapshot and lineage), and
 * aliases such as {@code champion} and {@code challenger} that can be moved, with the history of
 * every move. {@link io.fulcrum.registry.ModelRegistry} is the module's API; it publishes {@link
 * io.fulcrum.registry.ModelVersionRegistered} and {@link io.fulcrum.registry.ModelAliasMoved}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Model registry")
package io.fulcrum.registry;
