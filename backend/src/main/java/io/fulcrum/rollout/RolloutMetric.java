package io.fulcrum.rollout;

import java.util.Arrays;
import java.util.Optional;

/**
 * The metrics an A/B experiment can target or guard, by their wire name. Per-user metrics are
 * averaged over users (Welch); rates are ratios of per-user sums (delta method); latency is the
 * ranking endpoint's p99 for the variant's requests.
 */
public enum RolloutMetric {
    VIEWS_PER_USER("views_per_user", Kind.PER_USER),
    WATCH_TIME_PER_USER("watch_time_per_user", Kind.PER_USER),
    EXPOSURES_PER_USER("exposures_per_user", Kind.PER_USER),
    CLICK_RATE("click_rate", Kind.RATE),
    PLAY_RATE("play_rate", Kind.RATE),
    COMPLETION_RATIO("completion_ratio", Kind.RATE),
    SHARE_RATE("share_rate", Kind.RATE),
    COMMENT_RATE("comment_rate", Kind.RATE),
    P99_LATENCY_MS("p99_latency_ms", Kind.LATENCY);

    /** How a metric is estimated and which guardrail rule fits it. */
    public enum Kind {
        PER_USER,
        RATE,
        LATENCY
    }

    private final String wire;
    private final Kind kind;

    RolloutMetric(String wire, Kind kind) {
        this.wire = wire;
        this.kind = kind;
    }

    public String wire() {
        return wire;
    }

    public Kind kind() {
        return kind;
    }

    /** Higher is better for every metric but latency. */
    public boolean higherIsBetter() {
        return kind != Kind.LATENCY;
    }

    public static Optional<RolloutMetric> fromWire(String name) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(name)).findFirst();
    }
}
