package io.fulcrum.rollout;

import java.util.Locale;

/**
 * Guardrail rules as pure functions of the statistics, so that the ramp supervisor's decision can be
 * tested without a database.
 *
 * <ul>
 *   <li>{@code maxRelativeDrop} (per-user and rate metrics): breached when the upper end of the
 *       two-sided (1 − alpha) interval of the relative lift lies below −maxRelativeDrop, i.e. the
 *       treatment is significantly worse than the allowed drop. Equivalently: the two-sided p-value
 *       of lift = −maxRelativeDrop is below alpha and the lift is below −maxRelativeDrop. The interval
 *       is the experiment's analysis's: always-valid under a sequential analysis.
 *   <li>{@code maxMillis} (latency): breached when the share of the variant's requests slower than
 *       maxMillis is significantly above 1 % (a p99 above maxMillis), by a one-sided binomial z-test
 *       at alpha.
 * </ul>
 *
 * Nothing is declared breached below {@code minUsers} users in the treatment or the control (or
 * {@code minUsers} requests for latency): early noise must not roll an experiment back.
 */
public final class GuardrailCheck {

    /** The share of requests a p99 allows above it. */
    static final double LATENCY_TAIL = 0.01;

    private GuardrailCheck() {}

    /**
     * A per-user or rate metric of {@code variant} against {@code control}.
     *
     * @param lift the relative lift as the experiment's analysis reads it: at a fixed horizon ({@link
     *     RelativeLift}) or always-valid ({@link SequentialLift}, so a supervisor checking every
     *     minute does not inflate the false-breach rate)
     */
    public static GuardrailStatus relativeDrop(
            String variant,
            String control,
            String metric,
            double maxRelativeDrop,
            double alpha,
            long controlUsers,
            long variantUsers,
            LiftEstimate lift,
            int minUsers) {
        String rule = GuardrailStatus.MAX_RELATIVE_DROP;
        Double observed = finite(lift.lift());
        if (controlUsers < minUsers || variantUsers < minUsers) {
            return new GuardrailStatus(
                    variant,
                    metric,
                    rule,
                    maxRelativeDrop,
                    observed,
                    null,
                    false,
                    String.format(
                            Locale.ROOT,
                            "%s of %s: not enough data (%d users in %s and %d in %s; a guardrail needs %d per variant)",
                            metric,
                            variant,
                            variantUsers,
                            variant,
                            controlUsers,
                            control,
                            minUsers));
        }
        double se = lift.standardError();
        if (observed == null || !Double.isFinite(se)) {
            return new GuardrailStatus(
                    variant,
                    metric,
                    rule,
                    maxRelativeDrop,
                    observed,
                    null,
                    false,
                    String.format(
                            Locale.ROOT,
                            "%s of %s: no estimate yet (the control's value is 0 or neither variant varies)",
                            metric,
                            variant));
        }
        double confidence = 1 - alpha;
        double low = lift.low(confidence);
        double high = lift.high(confidence);
        Double p = se > 0 ? finite(lift.pValue(-maxRelativeDrop)) : null;
        boolean breached = high < -maxRelativeDrop;
        String verdict = breached
                ? "worse than the allowed " + percent(-maxRelativeDrop, 0)
                : "not significantly worse than the allowed " + percent(-maxRelativeDrop, 0);
        String explanation = String.format(
                Locale.ROOT,
                "%s of %s is %s (%s %% %sCI %s … %s) vs %s, %s",
                metric,
                variant,
                percent(lift.lift(), 1),
                number(confidence * 100),
                lift instanceof SequentialLift ? "always-valid " : "",
                percent(low, 1),
                percent(high, 1),
                control,
                verdict);
        return new GuardrailStatus(variant, metric, rule, maxRelativeDrop, observed, p, breached, explanation);
    }

    /**
     * The latency of {@code variant}'s ranking requests.
     *
     * @param p99Millis the variant's p99 latency (NaN without requests)
     * @param requests the variant's requests
     * @param slower how many of them took longer than {@code maxMillis}
     */
    public static GuardrailStatus latency(
            String variant,
            String metric,
            double maxMillis,
            double alpha,
            double p99Millis,
            long requests,
            long slower,
            int minRequests) {
        String rule = GuardrailStatus.MAX_MILLIS;
        Double observed = finite(p99Millis);
        if (requests < minRequests) {
            return new GuardrailStatus(
                    variant,
                    metric,
                    rule,
                    maxMillis,
                    observed,
                    null,
                    false,
                    String.format(
                            Locale.ROOT,
                            "%s of %s: not enough data (%d requests; a guardrail needs %d)",
                            metric,
                            variant,
                            requests,
                            minRequests));
        }
        double share = (double) slower / requests;
        double z = (share - LATENCY_TAIL) / Math.sqrt(LATENCY_TAIL * (1 - LATENCY_TAIL) / requests);
        double p = 1 - RelativeLift.phi(z);
        boolean breached = p < alpha;
        String explanation = String.format(
                Locale.ROOT,
                "p99 latency of %s is %s ms; %s of its %,d requests took longer than %s ms, %s than 1 %% (p = %s)",
                variant,
                number(p99Millis),
                percent(share, 1).replace("+", ""),
                requests,
                number(maxMillis),
                breached ? "significantly more" : "not significantly more",
                pValue(p));
        return new GuardrailStatus(variant, metric, rule, maxMillis, observed, p, breached, explanation);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** 0.041 → "+4.1 %", −0.02 → "−2 %" (with a real minus sign: the audit log is read by people). */
    static String percent(double fraction, int decimals) {
        double v = fraction * 100;
        String digits = decimals == 0 && v == Math.rint(v)
                ? String.format(Locale.ROOT, "%.0f", Math.abs(v))
                : String.format(Locale.ROOT, "%." + Math.max(decimals, 1) + "f", Math.abs(v));
        boolean zero = Double.parseDouble(digits) == 0;
        return (zero ? "" : v < 0 ? "−" : "+") + digits + " %";
    }

    private static String number(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    private static String pValue(double p) {
        return p < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }
}
