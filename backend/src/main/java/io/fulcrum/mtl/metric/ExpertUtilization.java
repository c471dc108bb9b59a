package io.fulcrum.mtl.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paper Fig. 8: for every gate of every level, the mean and standard deviation over an evaluation set
 * of the weight it gives each expert. Accumulates batch by batch in double precision.
 */
public final class ExpertUtilization {

    /** One gate's utilization; experts[i] received mean[i] ± std[i]. */
    public record GateUtilization(String gate, List<String> experts, double[] mean, double[] std) {}

    private static final class Sums {
        final List<String> experts;
        final double[] sum;
        final double[] sumSquares;
        long count;

        Sums(List<String> experts) {
            this.experts = experts;
            this.sum = new double[experts.size()];
            this.sumSquares = new double[experts.size()];
        }
    }

    private final Map<String, Sums> gates = new LinkedHashMap<>();

    /** @param weights row-major (rows, experts.size()) gate weights of one batch */
    public void add(String gate, List<String> experts, float[] weights) {
        Sums s = gates.computeIfAbsent(gate, g -> new Sums(experts));
        int n = experts.size();
        int rows = weights.length / n;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                double w = weights[r * n + i];
                s.sum[i] += w;
                s.sumSquares[i] += w * w;
            }
        }
        s.count += rows;
    }

    public List<GateUtilization> result() {
        List<GateUtilization> out = new ArrayList<>();
        for (Map.Entry<String, Sums> e : gates.entrySet()) {
            Sums s = e.getValue();
            int n = s.experts.size();
            double[] mean = new double[n];
            double[] std = new double[n];
            for (int i = 0; i < n; i++) {
                mean[i] = s.sum[i] / s.count;
                std[i] = Math.sqrt(Math.max(0, s.sumSquares[i] / s.count - mean[i] * mean[i]));
            }
            out.add(new GateUtilization(e.getKey(), s.experts, mean, std));
        }
        return out;
    }
}
