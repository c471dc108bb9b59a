package io.fulcrum.rollout;

import java.util.List;

/**
 * Where an A/B experiment is in its life: {@code DRAFT → RUNNING → STOPPED}, then {@code PROMOTED}
 * (the winner becomes the surface's champion) or {@code ROLLED_BACK}. A running experiment may also
 * be promoted or rolled back directly; the last two states are final.
 */
public enum AbExperimentState {
    DRAFT(List.of("start")),
    RUNNING(List.of("stop", "promote", "rollback", "advance")),
    STOPPED(List.of("promote", "rollback")),
    PROMOTED(List.of()),
    ROLLED_BACK(List.of());

    private final List<String> transitions;

    AbExperimentState(List<String> transitions) {
        this.transitions = transitions;
    }

    /** The transitions (the REST action names) allowed from this state. */
    public List<String> transitions() {
        return transitions;
    }

    public boolean allows(String transition) {
        return transitions.contains(transition);
    }
}
