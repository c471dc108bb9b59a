package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What a training step's loss reads: one output (B) per task, labels and sample-space mask (B, K), and
 * an optional scalar penalty added to the weighted sum of task losses (null when there is none). Most
 * architectures hand the loss their outputs unchanged; a funnel architecture moves a later step to the
 * earlier step's sample space (ESMM's CTCVR, AITM's impressions).
 */
public record LossInputs(NDList outputs, NDArray labels, NDArray mask, NDArray penalty) {}
