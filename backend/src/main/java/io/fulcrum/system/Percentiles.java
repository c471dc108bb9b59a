package io.fulcrum.system;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The latency summary every benchmark prints: nearest-rank p50, p90, p99 and the maximum. */
public final class Percentiles {

    private Percentiles() {}

    /** {@code {p50, p90, p99, max}} of the values, rounded to two decimals; empty input gives an empty map. */
    public static Map<String, Object> summary(double[] values) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (values.length == 0) {
            return r;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        r.put("p50", round(at(sorted, 0.5)));
        r.put("p90", round(at(sorted, 0.9)));
        r.put("p99", round(at(sorted, 0.99)));
        r.put("max", round(sorted[sorted.length - 1]));
        return r;
    }

    private static double at(double[] sorted, double q) {
        return sorted[(int) Math.ceil(q * (sorted.length - 1))];
    }

    public static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
