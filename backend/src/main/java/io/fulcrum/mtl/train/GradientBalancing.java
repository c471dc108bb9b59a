package io.fulcrum.mtl.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How the tasks' gradients on the shared parameters are combined (methods brief §6-8): {@code none}
 * sums them as the weighted joint loss gives them; {@code gradnorm} learns loss weights that even out
 * their norms ({@code alpha}, the weights' SGD {@code learningRate}); {@code pcgrad} removes from
 * each the part that conflicts with another; {@code cagrad} moves along their mean, inside a ball of
 * radius {@code c}·‖mean‖, in the direction that helps the worst-off task most. Task-specific
 * parameters always get their own task's gradient.
 */
public record GradientBalancing(String method, Double alpha, Double c, Double learningRate) {

    public static final List<String> METHODS = List.of("none", "gradnorm", "pcgrad", "cagrad");
    public static final GradientBalancing NONE = new GradientBalancing("none", null, null, null);

    /** GradNorm's α: LibMTL's default (the paper used 0.12 and 1.5 on its two benchmarks). */
    public static final double DEFAULT_ALPHA = 1.5;
    /** CAGrad's c: LibMTL's default (the official NYUv2 run used 0.4). */
    public static final double DEFAULT_C = 0.5;
    /** The step of GradNorm's weights: plain SGD, as in the methods brief's worked example. */
    public static final double DEFAULT_LEARNING_RATE = 0.025;

    public GradientBalancing {
        method = method == null ? "none" : method;
        alpha = alpha == null ? DEFAULT_ALPHA : alpha;
        c = c == null ? DEFAULT_C : c;
        learningRate = learningRate == null ? DEFAULT_LEARNING_RATE : learningRate;
    }

    public static GradientBalancing of(String method) {
        return new GradientBalancing(method, null, null, null);
    }

    public boolean active() {
        return !method.equals("none");
    }

    /** Every violation, each starting with the field's path under {@code balancing}; empty when valid. */
    public List<String> validate() {
        List<String> v = new ArrayList<>();
        if (!METHODS.contains(method)) {
            v.add("balancing.method: unknown '" + method + "' (one of " + String.join(", ", METHODS) + ")");
        }
        if (!(alpha >= 0 && Double.isFinite(alpha))) {
            v.add("balancing.alpha: must be a finite number >= 0, got " + alpha);
        }
        if (!(c >= 0 && c < 1)) {
            v.add("balancing.c: must be in [0, 1), got " + c);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            v.add("balancing.learningRate: must be a finite number > 0, got " + learningRate);
        }
        return v;
    }
}
