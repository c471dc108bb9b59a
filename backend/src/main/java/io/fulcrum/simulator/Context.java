package io.fulcrum.simulator;

import java.util.Objects;

/** Where and when an impression happens: its scenario, the device, and the local hour (0–23). */
public record Context(Scenario scenario, Device device, int hour) {

    public Context {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(device, "device");
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be in 0..23, was " + hour);
        }
    }
}
