package io.fulcrum.simulator;

/** The client an impression is shown on; a context feature with its own click propensity. */
public enum Device {
    ANDROID,
    IOS,
    WEB
}
