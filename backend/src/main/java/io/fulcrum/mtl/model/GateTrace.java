package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Gate weights captured during a forward pass, in the order the gates ran. */
public final class GateTrace {

    /** One gate's weights (B, experts) and the label of each expert it mixes. */
    public record GateReading(String gate, List<String> experts, NDArray weights) {}

    private final List<GateReading> readings = new ArrayList<>();

    void record(String gate, List<String> experts, NDArray weights) {
        readings.add(new GateReading(gate, List.copyOf(experts), weights));
    }

    public List<GateReading> readings() {
        return readings;
    }
}
