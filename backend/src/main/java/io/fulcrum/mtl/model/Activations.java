package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import java.util.function.UnaryOperator;

/** The spec's activation names and dropout as functions on arrays. */
final class Activations {

    private Activations() {}

    static UnaryOperator<NDArray> byName(String name) {
        return switch (name) {
            case "relu" -> Activation::relu;
            case "gelu" -> Activation::gelu;
            case "tanh" -> Activation::tanh;
            case "leaky-relu" -> x -> Activation.leakyRelu(x, 0.01f);
            default -> throw new SpecException(java.util.List.of("activation: unknown '" + name + "'"));
        };
    }

    static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return x;
        }
        return Dropout.dropout(x, rate, true).singletonOrThrow();
    }
}
