package io.fulcrum.rollout;

/**
 * Published when what serves a surface may have changed (an experiment started, ramped, stopped,
 * promoted or rolled back; a surface edited), so the ranking path drops its cached routing at once.
 */
public record RolloutChanged(long surfaceId) {}
