package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * HoME's expert normalisation for one layer of an expert bank (methods brief §5): each expert's
 * each output unit is normalised by its batch mean and variance in training, and by running averages
 * of them at serving, then scaled by γ and shifted by β, so that gates mix experts whose outputs share
 * one scale. Running averages follow PyTorch's batch norm: momentum 0.1, unbiased variance.
 */
final class ExpertNorm {

    private static final float EPSILON = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVariance;
    private final int experts;
    private final long units;

    ExpertNorm(ExpertBank bank, int layer, int experts, long units) {
        this.experts = experts;
        this.units = units;
        Shape shape = new Shape(experts * units);
        this.gamma = bank.normParameter("normScale" + layer, shape, Initializer.ONES, true);
        this.beta = bank.normParameter("normShift" + layer, shape, Initializer.ZEROS, true);
        this.runningMean = bank.normParameter("normMean" + layer, shape, Initializer.ZEROS, false);
        this.runningVariance = bank.normParameter("normVariance" + layer, shape, Initializer.ONES, false);
    }

    /** Pre-activations of every expert stacked (E, B, units). */
    NDArray stacked(ParameterStore ps, NDArray pre, boolean training) {
        return normalize(ps, pre, 1, new Shape(experts, 1, units), training);
    }

    /** Pre-activations of every expert side by side (B, E · units). */
    NDArray sideBySide(ParameterStore ps, NDArray pre, boolean training) {
        return normalize(ps, pre, 0, new Shape(1, (long) experts * units), training);
    }

    private NDArray normalize(ParameterStore ps, NDArray pre, int batchAxis, Shape statsShape, boolean training) {
        NDArray scale = ps.getValue(gamma, pre.getDevice(), training).reshape(statsShape);
        NDArray shift = ps.getValue(beta, pre.getDevice(), training).reshape(statsShape);
        NDArray storedMean = ps.getValue(runningMean, pre.getDevice(), training);
        NDArray storedVariance = ps.getValue(runningVariance, pre.getDevice(), training);
        NDArray centred;
        NDArray variance;
        if (training) {
            NDArray mean = pre.mean(new int[] {batchAxis}, true);
            centred = pre.sub(mean);
            variance = centred.square().mean(new int[] {batchAxis}, true);
            long n = pre.getShape().get(batchAxis);
            float unbiased = n > 1 ? (float) n / (n - 1) : 1f;
            // the running averages are state, not parameters: updated in place, outside the gradient
            storedMean.muli(1 - MOMENTUM).addi(mean.stopGradient().reshape(-1).mul(MOMENTUM));
            storedVariance
                    .muli(1 - MOMENTUM)
                    .addi(variance.stopGradient().reshape(-1).mul(MOMENTUM * unbiased));
        } else {
            centred = pre.sub(storedMean.reshape(statsShape));
            variance = storedVariance.reshape(statsShape);
        }
        return centred.div(variance.add(EPSILON).sqrt()).mul(scale).add(shift);
    }

    static NDArray swish(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
