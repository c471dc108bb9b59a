package io.fulcrum.cli;

import io.fulcrum.rollout.RelativeLift;
import io.fulcrum.rollout.RolloutMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a simulated A/B test says about an expected lift (from {@code reproduce video
 * --online-sessions}): whether its interval contains that lift, and how many users a test of the
 * same days and sessions would need for the lift to be three standard errors. The standard error is
 * read from this test's 95% interval and scaled by √(users / needed): an interval narrows with the
 * square root of the users only at a fixed number of days and sessions per user, so the figure is
 * for a test of this test's length.
 */
final class AbPlanning {

    /** How many standard errors the expected lift should be for a test to be worth running. */
    static final double STANDARD_ERRORS = 3;

    /**
     * One metric's verdict on the expected lift.
     *
     * @param metric the results' metric name
     * @param expectedLift the lift the replay expects, relative (0.005 = +0.5%)
     * @param lift the lift this test measured
     * @param ciLow lower end of its 95% interval
     * @param ciHigh upper end of its 95% interval
     * @param standardError the interval's half-width over 1.96
     * @param containsExpected whether the interval contains the expected lift
     * @param excludesZero whether the interval excludes no change
     * @param usersNeeded users (all variants together) for the expected lift to be three standard
     *     errors, at this test's days and sessions; null for an expected lift of 0
     * @param hoursNeeded how long this machine would take to simulate that many users, at this run's
     *     pace; null with {@code usersNeeded}
     */
    record Metric(
            String metric,
            double expectedLift,
            double lift,
            double ciLow,
            double ciHigh,
            double standardError,
            boolean containsExpected,
            boolean excludesZero,
            Long usersNeeded,
            Double hoursNeeded) {}

    private AbPlanning() {}

    /**
     * Reads {@code views_per_user=0.0049,watch_time_per_user=-1.2%}: a metric name and a relative
     * lift, as a fraction or with a trailing {@code %}.
     */
    static Map<String, Double> parse(String spec) {
        Map<String, Double> lifts = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return lifts;
        }
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException(
                        "--expected-lift: each item must be METRIC=LIFT, e.g. views_per_user=0.005 or"
                                + " views_per_user=0.5%, got '" + part.strip() + "'");
            }
            String metric = kv[0].strip();
            if (!liftMetrics().contains(metric)) {
                throw new IllegalArgumentException("--expected-lift: '" + metric
                        + "' is not a per-user or rate metric of the results; one of " + liftMetrics());
            }
            String value = kv[1].strip();
            double lift;
            try {
                lift = CliArgs.fraction(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--expected-lift: the lift of " + metric + " must be a number, got '" + value + "'");
            }
            if (!Double.isFinite(lift)) {
                throw new IllegalArgumentException("--expected-lift: the lift of " + metric + " must be finite");
            }
            if (lifts.put(metric, lift) != null) {
                throw new IllegalArgumentException("--expected-lift: " + metric + " is given twice");
            }
        }
        return lifts;
    }

    private static List<String> liftMetrics() {
        return Arrays.stream(RolloutMetric.values())
                .filter(m -> m.kind() != RolloutMetric.Kind.LATENCY)
                .map(RolloutMetric::wire)
                .toList();
    }

    /**
     * Checks each expected lift against the comparison of its metric in {@code results} (the
     * experiment's results: one treatment against the control).
     *
     * @param users the users this test simulated
     * @param seconds how long it took
     */
    static List<Metric> assess(Map<String, Double> expected, JsonNode results, int users, double seconds) {
        List<Metric> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            JsonNode comparison = comparison(results, e.getKey());
            double lift = comparison.path("lift").asDouble();
            double low = comparison.path("ciLow").asDouble();
            double high = comparison.path("ciHigh").asDouble();
            // the results' intervals are RelativeLift's 95% normal ones
            double se = (high - low) / (2 * RelativeLift.z(0.95));
            double want = e.getValue();
            Long needed = null;
            Double hours = null;
            if (want != 0) {
                double ratio = STANDARD_ERRORS * se / Math.abs(want);
                needed = (long) Math.ceil(users * ratio * ratio);
                hours = seconds * needed / users / 3600;
            }
            out.add(new Metric(
                    e.getKey(),
                    want,
                    lift,
                    low,
                    high,
                    se,
                    low <= want && want <= high,
                    low > 0 || high < 0,
                    needed,
                    hours));
        }
        return out;
    }

    private static JsonNode comparison(JsonNode results, String metric) {
        JsonNode found = null;
        for (JsonNode c : results.path("comparisons")) {
            if (metric.equals(c.path("metric").asString())) {
                if (found != null) {
                    throw new IllegalArgumentException("--expected-lift needs an experiment of one treatment against"
                            + " the control; " + metric + " has several comparisons");
                }
                found = c;
            }
        }
        if (found == null || found.path("ciLow").isNull() || found.path("ciLow").isMissingNode()) {
            throw new IllegalArgumentException("--expected-lift: the results have no interval for " + metric
                    + " (is it a per-user or rate" + " metric with users in both variants?)");
        }
        return found;
    }
}
