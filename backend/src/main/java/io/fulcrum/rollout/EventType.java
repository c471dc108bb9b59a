package io.fulcrum.rollout;

import java.util.Arrays;
import java.util.Optional;

/** The user events Fulcrum counts; {@link #wire()} is the name in JSON and in the event table. */
public enum EventType {
    EXPOSURE("exposure", false),
    CLICK("click", false),
    PLAY("play", false),
    /** Seconds watched, in {@code value}. */
    WATCH_TIME("watch_time", true),
    /** Share of the video watched, 0..1, in {@code value}. */
    COMPLETION("completion", true),
    SHARE("share", false),
    COMMENT("comment", false);

    private final String wire;
    private final boolean needsValue;

    EventType(String wire, boolean needsValue) {
        this.wire = wire;
        this.needsValue = needsValue;
    }

    public String wire() {
        return wire;
    }

    public boolean needsValue() {
        return needsValue;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(name)).findFirst();
    }
}
