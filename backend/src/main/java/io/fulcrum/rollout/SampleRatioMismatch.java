package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * The sample-ratio-mismatch check: do the variants' user counts fit the traffic shares they were
 * given? Pearson's chi-square over the variants, Σ (observed − expected)² / expected, with k − 1
 * degrees of freedom; a mismatch (p &lt; 0.001) means assignment or logging is broken and no other
 * figure of the experiment can be trusted.
 */
@Schema(description = "Sample-ratio-mismatch check: users per variant against the traffic shares")
public record SampleRatioMismatch(
        @Schema(
                description = "Pearson's chi-square; null when no user has been seen yet or a variant without"
                        + " traffic has users")
        Double chiSquare,

        @Schema(description = "p-value of the chi-square with (variants − 1) degrees of freedom; null without users")
        Double pValue,

        @Schema(description = "True when p < 0.001") boolean mismatch,
        @Schema(description = "Users seen per variant") Map<String, Long> observed,

        @Schema(description = "Users expected per variant: all users × the variant's traffic share")
        Map<String, Double> expected) {

    /** Below this p-value the split is flagged. */
    public static final double THRESHOLD = 0.001;

    /**
     * @param observed users per variant
     * @param shares each variant's expected share of the users (summing to 1), same keys
     */
    public static SampleRatioMismatch test(Map<String, Long> observed, Map<String, Double> shares) {
        long total = observed.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> expected = new LinkedHashMap<>();
        observed.keySet().forEach(v -> expected.put(v, total * shares.getOrDefault(v, 0.0)));
        if (total == 0 || observed.size() < 2) {
            return new SampleRatioMismatch(null, null, false, observed, expected);
        }
        double chi = 0;
        int cells = 0;
        for (Map.Entry<String, Long> e : observed.entrySet()) {
            double exp = expected.get(e.getKey());
            if (exp <= 0) {
                if (e.getValue() > 0) {
                    // Users in a variant that serves no traffic: the split is broken, whatever the others show.
                    return new SampleRatioMismatch(null, 0.0, true, observed, expected);
                }
                continue;
            }
            double d = e.getValue() - exp;
            chi += d * d / exp;
            cells++;
        }
        if (cells < 2) {
            return new SampleRatioMismatch(chi, 1.0, false, observed, expected);
        }
        double p = 1 - new ChiSquaredDistribution(null, cells - 1).cumulativeProbability(chi);
        return new SampleRatioMismatch(chi, p, p < THRESHOLD, observed, expected);
    }
}
