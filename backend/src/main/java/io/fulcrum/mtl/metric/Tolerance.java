package io.fulcrum.mtl.metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How far a gain must clear zero to count as better or worse ({@link PairedGain#call}), per metric.
 * Written as one value for every metric ({@code 0.001}, {@code 1%}) or as {@code metric=value} pairs
 * ({@code auc=0.001,mse=1%}); a metric a list leaves out gets 0. A plain value is absolute, in the
 * metric's units; {@code p%} is relative: p/100 × |the baseline's mean value of the metric| on the task.
 */
public final class Tolerance {

    /** The metrics a tolerance can name, as {@link TaskMetrics} and the task groups spell them in lower case. */
    public static final List<String> METRICS = List.of("auc", "logloss", "mse", "mae");

    public static final Tolerance ZERO = parse("0");

    private record Term(double value, boolean relative) {
        double absolute(double baselineMean) {
            return relative ? value / 100 * Math.abs(baselineMean) : value;
        }
    }

    private final String spec;
    private final Term everyMetric;
    private final Map<String, Term> perMetric;

    private Tolerance(String spec, Term everyMetric, Map<String, Term> perMetric) {
        this.spec = spec;
        this.everyMetric = everyMetric;
        this.perMetric = perMetric;
    }

    /** A tolerance spec that cannot be used; {@link #rule()} says which rule it breaks. */
    public static final class InvalidTolerance extends IllegalArgumentException {

        private final String rule;

        InvalidTolerance(String rule, String message) {
            super(message);
            this.rule = rule;
        }

        /** {@code format} (cannot be read), {@code one-of} (an unknown metric) or {@code range} (negative). */
        public String rule() {
            return rule;
        }
    }

    /** @param spec blank for 0; throws {@link InvalidTolerance} when it cannot be used */
    public static Tolerance parse(String spec) {
        String text = spec == null ? "" : spec.trim();
        if (text.isEmpty()) {
            return new Tolerance("0", new Term(0, false), Map.of());
        }
        String[] parts = text.split(",", -1);
        if (parts.length == 1 && !parts[0].contains("=")) {
            return new Tolerance(text, term(parts[0].trim()), Map.of());
        }
        Map<String, Term> perMetric = new LinkedHashMap<>();
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new InvalidTolerance(
                        "format",
                        "write one value for every metric or metric=value pairs such as auc=0.001,mse=1%, got '" + text
                                + "'");
            }
            String metric = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!METRICS.contains(metric)) {
                throw new InvalidTolerance(
                        "one-of", "unknown metric '" + part.substring(0, eq).trim() + "', must be one of " + METRICS);
            }
            if (perMetric.put(metric, term(part.substring(eq + 1).trim())) != null) {
                throw new InvalidTolerance("format", "metric '" + metric + "' is given twice");
            }
        }
        return new Tolerance(text, null, Map.copyOf(perMetric));
    }

    private static Term term(String value) {
        boolean relative = value.endsWith("%");
        String number = relative ? value.substring(0, value.length() - 1).trim() : value;
        double v;
        try {
            v = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new InvalidTolerance("format", "'" + value + "' is not a number or a percentage such as 0.001 or 1%");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidTolerance("range", "must be a finite number >= 0, got '" + value + "'");
        }
        return new Term(v, relative);
    }

    /**
     * The absolute band for a task judged by {@code metric}.
     *
     * @param metric a metric name in any case, e.g. {@code AUC} or {@code mse}
     * @param baselineMean the single-task baseline's mean value of that metric over the paired seeds
     */
    public double absoluteFor(String metric, double baselineMean) {
        Term term = everyMetric != null ? everyMetric : perMetric.get(metric.toLowerCase(Locale.ROOT));
        return term == null ? 0.0 : term.absolute(baselineMean);
    }

    /** The value, when the spec was one absolute number for every metric (what the tolerance used to be). */
    public OptionalDouble plainNumber() {
        return everyMetric != null && !everyMetric.relative()
                ? OptionalDouble.of(everyMetric.value())
                : OptionalDouble.empty();
    }

    /** The spec as given (trimmed; "0" for none). */
    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec;
    }
}
