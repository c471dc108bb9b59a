package io.fulcrum.registry;

/** A version was registered: {@code version} of the model named {@code modelName}, copied from run {@code runId}. */
public record ModelVersionRegistered(String modelName, int version, long runId) {}
