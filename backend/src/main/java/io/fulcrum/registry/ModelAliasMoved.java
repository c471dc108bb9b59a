package io.fulcrum.registry;

/**
 * An alias of a model was created ({@code fromVersion} null), moved, or removed ({@code toVersion}
 * null) by {@code actor}. Published inside the registry's transaction: listeners that act on it
 * (a server switching the version it serves) should listen after commit.
 */
public record ModelAliasMoved(String modelName, String alias, Integer fromVersion, Integer toVersion, String actor) {}
