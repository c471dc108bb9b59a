package io.fulcrum.mtl.loss;

/** Where training is: the 0-based epoch and the 0-based global step. */
public record TrainingClock(int epoch, long step) {}
