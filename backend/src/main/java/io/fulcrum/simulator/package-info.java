/**
 * A seeded simulation of a video feed (brief §5): users and videos with latent tastes, impressions
 * in an auto-play or an explicit-click scenario, and the actions that follow (click, play, watch
 * time, valid view, completion ratio, share, comment). Plain Java on purpose, so the dataset
 * registry, the CLI, benchmarks and A/B simulations can all use it. The model of the world is
 * described in {@code docs/simulator.md}.
 */
package io.fulcrum.simulator;
