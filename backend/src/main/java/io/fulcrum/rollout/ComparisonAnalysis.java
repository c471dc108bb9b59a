package io.fulcrum.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads treatment against control on every metric the way an experiment's {@link AnalysisPlan}
 * says, from the two variants' {@link UserMoments} alone (the results endpoint, the guardrails and
 * {@code simulate-aa} all go through here):
 *
 * <ol>
 *   <li>the fixed-horizon lift, interval and p-value (Welch for per-user metrics, the delta-method
 *       z-test for rates), unadjusted: the figures the results always had;
 *   <li>CUPED's adjusted lift when the plan has a pre-exposure window and a covariate varies;
 *   <li>the estimate in force: CUPED's where there is one, else the unadjusted one, read at a fixed
 *       horizon or with always-valid intervals as the plan's analysis says;
 *   <li>across all comparisons, the in-force p-values corrected as the plan says.
 * </ol>
 */
public final class ComparisonAnalysis {

    /** Intervals are at 95 % and significance at 5 %, as the results always were. */
    public static final double CONFIDENCE = 0.95;

    public static final double SIGNIFICANCE = 1 - CONFIDENCE;

    private final AnalysisPlan plan;
    private final boolean cuped;

    public ComparisonAnalysis(AnalysisPlan plan) {
        this.plan = plan;
        this.cuped = !plan.preExposureWindow().isZero();
    }

    public AnalysisPlan plan() {
        return plan;
    }

    /** One metric of one treatment, every way it is read. */
    public record Reading(
            RolloutMetric metric,
            double control,
            double treatment,
            RelativeLift fixed,
            double fixedPValue,
            Cuped.Adjusted adjusted,
            SequentialLift sequential,
            LiftEstimate inForce,
            double inForcePValue) {

        /** The estimate CUPED leaves, or the unadjusted one: what every analysis reads. */
        public RelativeLift best() {
            return adjusted != null ? adjusted.lift() : fixed;
        }
    }

    /**
     * The estimate a decision at level {@code alpha} reads (a guardrail's): the reading's {@link
     * Reading#best}, with always-valid intervals tuned for that level if the plan is sequential.
     */
    public LiftEstimate decision(Reading reading, double alpha) {
        return plan.analysisKind() == Analysis.SEQUENTIAL
                ? new SequentialLift(reading.best(), reading.sequential().users(), plan.plannedComparisonUsers(), alpha)
                : reading.best();
    }

    public Reading read(RolloutMetric metric, UserMoments control, UserMoments treatment) {
        RelativeLift fixed;
        double p;
        if (metric.kind() == RolloutMetric.Kind.PER_USER) {
            int y = UserColumns.perUser(metric);
            fixed = RelativeLift.ofMeans(control.moments(y), treatment.moments(y));
            p = WelchTest.of(control.moments(y), treatment.moments(y)).pValue();
        } else {
            int[] r = UserColumns.rate(metric);
            RatioMoments rc = control.ratio(r[0], r[1]);
            RatioMoments rt = treatment.ratio(r[0], r[1]);
            fixed = RelativeLift.ofRatios(rc, rt);
            p = RatioZTest.of(rc, rt).pValue();
        }
        Cuped.Adjusted adjusted = adjusted(metric, control, treatment);
        RelativeLift best = adjusted != null ? adjusted.lift() : fixed;
        SequentialLift sequential =
                new SequentialLift(best, control.n() + treatment.n(), plan.plannedComparisonUsers(), SIGNIFICANCE);
        LiftEstimate inForce = plan.analysisKind() == Analysis.SEQUENTIAL ? sequential : best;
        double c = UserColumns.value(control, metric);
        double t = UserColumns.value(treatment, metric);
        // unadjusted at a fixed horizon, the p-value is the test the results always showed (Welch's for
        // per-user metrics), not the normal approximation of the interval
        double inForceP = inForce == fixed ? p : inForce.pValue(0);
        return new Reading(metric, c, t, fixed, p, adjusted, sequential, inForce, inForceP);
    }

    /** The in-force p-values of {@code readings}, corrected across all of them as the plan says. */
    public double[] corrected(List<Reading> readings) {
        double[] p = new double[readings.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = readings.get(i).inForcePValue();
        }
        return plan.correctionKind().adjust(p);
    }

    /** Every non-latency metric of one treatment, in {@link RolloutMetric} order. */
    public List<Reading> readAll(UserMoments control, UserMoments treatment) {
        List<Reading> readings = new ArrayList<>();
        for (RolloutMetric m : RolloutMetric.values()) {
            if (m.kind() != RolloutMetric.Kind.LATENCY) {
                readings.add(read(m, control, treatment));
            }
        }
        return readings;
    }

    private Cuped.Adjusted adjusted(RolloutMetric metric, UserMoments control, UserMoments treatment) {
        if (!cuped) {
            return null;
        }
        if (metric.kind() == RolloutMetric.Kind.PER_USER) {
            int y = UserColumns.perUser(metric);
            return Cuped.ofMeans(control, treatment, y, UserColumns.PRE + y, UserColumns.HAS_PRE);
        }
        int[] r = UserColumns.rate(metric);
        return Cuped.ofRatios(control, treatment, r[0], r[1], UserColumns.PRE + r[0], UserColumns.PRE + r[1]);
    }
}
