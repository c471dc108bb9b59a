package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDList;

/** One forward pass: per-task outputs (each (B): logits or values) and the gate weights it used. */
public record MtlForward(NDList outputs, GateTrace gates) {}
