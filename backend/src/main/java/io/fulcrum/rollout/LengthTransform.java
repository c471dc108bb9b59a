package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The paper's f(video length) factor of the ranking score: {@code none} (1), {@code sigmoid} (1 / (1
 * + exp(−(length − center) / scale))) or {@code log} (ln(1 + length / scale)); length in seconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LengthTransform(String type, Double center, Double scale) {

    public static final LengthTransform NONE = new LengthTransform("none", null, null);

    /** The factor for a video of {@code lengthSeconds}. */
    public double apply(double lengthSeconds) {
        return switch (type) {
            case "sigmoid" -> 1.0 / (1.0 + Math.exp(-(lengthSeconds - center) / scale));
            case "log" -> Math.log1p(lengthSeconds / scale);
            default -> 1.0;
        };
    }

    /** Whether the transform needs a length at all. */
    public boolean usesLength() {
        return !"none".equals(type);
    }
}
