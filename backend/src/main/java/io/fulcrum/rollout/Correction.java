package io.fulcrum.rollout;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an experiment's p-values are corrected for testing many metrics (and treatments) at once.
 * The family is every comparison of the results; a p-value that is undefined (NaN) is not a test
 * and is left out of it.
 *
 * <ul>
 *   <li>{@code holm}: Holm–Bonferroni (Holm, Scand. J. Statist. 1979), the family-wise error rate:
 *       sorted ascending, p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)).
 *   <li>{@code benjamini-hochberg}: the false discovery rate (Benjamini and Hochberg, JRSS-B 1995),
 *       valid for independent or positively dependent tests: q̃_(i) = min_{j ≥ i} min(1, m p_(j) / j).
 *   <li>{@code none}: the p-values as they are.
 * </ul>
 */
public enum Correction {
    NONE("none"),
    HOLM("holm"),
    BENJAMINI_HOCHBERG("benjamini-hochberg");

    public static final Correction DEFAULT = HOLM;

    private final String wire;

    Correction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Correction> fromWire(String name) {
        return Arrays.stream(values()).filter(c -> c.wire.equals(name)).findFirst();
    }

    /** Adjusted p-values in the caller's order; NaN stays NaN. */
    public double[] adjust(double[] p) {
        int[] order = java.util.stream.IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed()
                .sorted((a, b) -> Double.compare(p[a], p[b]))
                .mapToInt(Integer::intValue)
                .toArray();
        double[] adjusted = p.clone();
        int m = order.length;
        switch (this) {
            case NONE -> {}
            case HOLM -> {
                double running = 0;
                for (int i = 0; i < m; i++) {
                    running = Math.max(running, Math.min(1, (m - i) * p[order[i]]));
                    adjusted[order[i]] = running;
                }
            }
            case BENJAMINI_HOCHBERG -> {
                double running = 1;
                for (int i = m - 1; i >= 0; i--) {
                    running = Math.min(running, Math.min(1, (double) m * p[order[i]] / (i + 1)));
                    adjusted[order[i]] = running;
                }
            }
        }
        return adjusted;
    }
}
