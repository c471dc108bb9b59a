package io.fulcrum.simulator;

/**
 * How an impression can turn into a play. The two modes are why the play probability is bimodal
 * (brief §5) and why the valid-view / completion relation differs between samples.
 */
public enum Scenario {
    /** The feed starts the video by itself (typically on wifi): it plays unless the user scrolls on. */
    AUTOPLAY,
    /** The video only plays when the user clicks it: plays are exactly the clicks. */
    EXPLICIT_CLICK
}
