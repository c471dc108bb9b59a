package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The statistics against values computed by hand (shown in the comments) and checked independently
 * with SciPy 1.17 ({@code scipy.stats.ttest_ind(equal_var=False)}, {@code chisquare}, {@code norm}).
 */
class RolloutStatisticsTests {

    private static final double EPS = 1e-9;

    // Control per-user values 1, 2, 3, 4: n 4, mean 2.5, s² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3.
    // Treatment 2, 4, 6: n 3, mean 4, s² = (4 + 0 + 4) / 2 = 4.
    private static final Moments CONTROL = Moments.of(1, 2, 3, 4);
    private static final Moments TREATMENT = Moments.of(2, 4, 6);

    @Test
    void momentsAreCountMeanAndSampleVariance() {
        assertThat(CONTROL.n()).isEqualTo(4);
        assertThat(CONTROL.mean()).isCloseTo(2.5, within(EPS));
        assertThat(CONTROL.variance()).isCloseTo(5.0 / 3, within(EPS));
        assertThat(TREATMENT.variance()).isCloseTo(4, within(EPS));
        assertThat(Moments.of(7).variance()).isNaN();
    }

    @Test
    void welchTestMatchesHandComputation() {
        // s²/n: treatment 4/3, control (5/3)/4 = 5/12; se² = 4/3 + 5/12 = 1.75.
        // t = (4 − 2.5) / √1.75 = 1.1338934190276817.
        // df = 1.75² / ((4/3)² / 2 + (5/12)² / 3) = 3.0625 / (0.888… + 0.05787…) = 3.2347188264058682.
        // Two-sided p from Student's t with that df: 0.33382370007750106 (SciPy agrees).
        WelchTest w = WelchTest.of(CONTROL, TREATMENT);
        assertThat(w.t()).isCloseTo(1.1338934190276817, within(EPS));
        assertThat(w.degreesOfFreedom()).isCloseTo(3.2347188264058682, within(EPS));
        assertThat(w.pValue()).isCloseTo(0.33382370007750106, within(EPS));
        assertThat(WelchTest.of(TREATMENT, CONTROL).t()).isCloseTo(-1.1338934190276817, within(EPS));
    }

    @Test
    void welchTestIsUndefinedWithoutVariance() {
        assertThat(WelchTest.of(Moments.of(1, 1), Moments.of(2, 2)).pValue()).isNaN();
        assertThat(WelchTest.of(Moments.of(1), Moments.of(2, 3)).pValue()).isNaN();
    }

    @Test
    void relativeLiftOfMeansByTheDeltaMethod() {
        // lift = 4 / 2.5 − 1 = 0.6.
        // Var = vT/(nT mC²) + mT² vC/(nC mC⁴) = 4/(3·6.25) + 16·(5/3)/(4·39.0625) = 0.213333… + 0.170666… = 0.384;
        // se = √0.384 = 0.6196773353931867; 95 %: 0.6 ∓ 1.959963984540054 · se.
        RelativeLift lift = RelativeLift.ofMeans(CONTROL, TREATMENT);
        assertThat(lift.lift()).isCloseTo(0.6, within(EPS));
        assertThat(lift.standardError()).isCloseTo(Math.sqrt(0.384), within(EPS));
        assertThat(lift.low(0.95)).isCloseTo(-0.6145452594063936, within(EPS));
        assertThat(lift.high(0.95)).isCloseTo(1.8145452594063938, within(EPS));
        assertThat(RelativeLift.z(0.95)).isCloseTo(1.959963984540054, within(EPS));
    }

    // Clicks / exposures per user. Control: clicks 1, 0, 2, 1 over exposures 2, 1, 4, 3;
    // treatment: clicks 2, 1, 3 over exposures 3, 2, 4.
    private static final RatioMoments CONTROL_RATE =
            RatioMoments.of(new double[] {1, 0, 2, 1}, new double[] {2, 1, 4, 3});
    private static final RatioMoments TREATMENT_RATE = RatioMoments.of(new double[] {2, 1, 3}, new double[] {3, 2, 4});

    @Test
    void ratioVarianceIsDengsDeltaMethod() {
        // Control: x̄ 1, ȳ 2.5, s²x = (0 + 1 + 1 + 0)/3 = 2/3, s²y = 5/3, sxy = (0·−.5 + −1·−1.5 + 1·1.5 + 0·.5)/3 = 1.
        // R = 0.4; Var R = (s²x/ȳ² − 2 x̄ sxy/ȳ³ + x̄² s²y/ȳ⁴) / n
        //              = (0.106666… − 0.128 + 0.042666…) / 4 = 0.021333… / 4 = 0.0053333….
        assertThat(CONTROL_RATE.meanNumerator()).isCloseTo(1, within(EPS));
        assertThat(CONTROL_RATE.varNumerator()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(CONTROL_RATE.covariance()).isCloseTo(1, within(EPS));
        assertThat(CONTROL_RATE.ratio()).isCloseTo(0.4, within(EPS));
        assertThat(CONTROL_RATE.ratioVariance()).isCloseTo(0.0053333333333333306, within(EPS));
        // Treatment: x̄ 2, ȳ 3, s²x 1, s²y 1, sxy 1; R = 2/3;
        // Var R = (1/9 − 2·2·1/27 + 4·1/81) / 3 = (0.111… − 0.148… + 0.0494…) / 3 = 0.0041152263374485592.
        assertThat(TREATMENT_RATE.ratio()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(TREATMENT_RATE.ratioVariance()).isCloseTo(0.0041152263374485592, within(EPS));
    }

    @Test
    void ratioMetricsAreComparedByZAndDeltaMethodLift() {
        // z = (2/3 − 0.4) / √(0.0041152… + 0.0053333…) = 0.266666… / 0.097203… = 2.7433797411552749;
        // p = 2 Φ(−z) = 0.0060810317507929866.
        RatioZTest z = RatioZTest.of(CONTROL_RATE, TREATMENT_RATE);
        assertThat(z.z()).isCloseTo(2.7433797411552749, within(EPS));
        assertThat(z.pValue()).isCloseTo(0.0060810317507929866, within(EPS));
        // lift = (2/3) / 0.4 − 1 = 2/3; Var = VarT / C² + T² VarC / C⁴
        //      = 0.0041152/0.16 + 0.444…·0.0053333/0.0256 = 0.025720 + 0.092593 = 0.118313; se 0.34396621520382786.
        RelativeLift lift = RelativeLift.ofRatios(CONTROL_RATE, TREATMENT_RATE);
        assertThat(lift.lift()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(lift.standardError()).isCloseTo(0.34396621520382786, within(EPS));
        assertThat(lift.low(0.95)).isCloseTo(-0.0074947270313896475, within(EPS));
        assertThat(lift.high(0.95)).isCloseTo(1.3408280603647227, within(EPS));
    }

    @Test
    void aVariantThatDoesNotVaryGivesNoIntervalRatherThanOneOfZeroWidth() {
        // An A/A test read early: one share among the control's 3 users' 30 exposures, none in the
        // treatment's. The treatment's sample variance is 0, which would make the interval −100 %
        // [−100 %, −100 %]; the variance is unknown, so there is no interval.
        RatioMoments oneShare = RatioMoments.of(new double[] {1, 0, 0}, new double[] {10, 10, 10});
        RatioMoments noShare = RatioMoments.of(new double[] {0, 0, 0}, new double[] {10, 10, 10});
        RelativeLift lift = RelativeLift.ofRatios(oneShare, noShare);
        assertThat(lift.lift()).isEqualTo(-1);
        assertThat(lift.standardError()).isNaN();
        assertThat(ExperimentResults.finite(lift.low(0.95))).isNull();

        // every user with the same value in both variants: no interval either
        assertThat(RelativeLift.ofMeans(Moments.of(30, 30), Moments.of(30, 30)).standardError())
                .isNaN();
        // while one varying variant against one that varies gives the delta-method interval
        assertThat(RelativeLift.ofRatios(oneShare, oneShare).standardError()).isPositive();
    }

    @Test
    void sampleRatioMismatchFlagsThousandAgainstEightHundred() {
        // 50/50: expected 900 each; χ² = 100²/900 + 100²/900 = 22.2222…; 1 df: p = 2.4284674729758432e-06 < 0.001.
        SampleRatioMismatch srm = SampleRatioMismatch.test(users(1000, 800), halves());
        assertThat(srm.chiSquare()).isCloseTo(200.0 / 9, within(EPS));
        assertThat(srm.pValue()).isCloseTo(2.4284674729758432e-06, within(1e-12));
        assertThat(srm.mismatch()).isTrue();
        assertThat(srm.expected()).containsEntry("control", 900.0).containsEntry("ple", 900.0);
    }

    @Test
    void sampleRatioMismatchPassesThousandAgainstNineHundredNinety() {
        // Expected 995 each; χ² = 2 · 5²/995 = 0.050251256281407038; p = 0.82262664454365397.
        SampleRatioMismatch srm = SampleRatioMismatch.test(users(1000, 990), halves());
        assertThat(srm.chiSquare()).isCloseTo(0.050251256281407038, within(EPS));
        assertThat(srm.pValue()).isCloseTo(0.82262664454365397, within(EPS));
        assertThat(srm.mismatch()).isFalse();
    }

    @Test
    void sampleRatioMismatchUsesEachVariantsShare() {
        // Shares 50/25/25 of 1000 users: expected 500, 250, 250; observed 500, 300, 200:
        // χ² = 0 + 2500/250 + 2500/250 = 20 with 2 df: p = e^(−10) = 4.5399929762484861e-05.
        Map<String, Long> observed = new LinkedHashMap<>();
        observed.put("control", 500L);
        observed.put("a", 300L);
        observed.put("b", 200L);
        SampleRatioMismatch srm = SampleRatioMismatch.test(observed, Map.of("control", 0.5, "a", 0.25, "b", 0.25));
        assertThat(srm.chiSquare()).isCloseTo(20, within(EPS));
        assertThat(srm.pValue()).isCloseTo(Math.exp(-10), within(1e-12));
        assertThat(srm.mismatch()).isTrue();
    }

    @Test
    void noUsersNoVerdict() {
        SampleRatioMismatch srm = SampleRatioMismatch.test(users(0, 0), halves());
        assertThat(srm.mismatch()).isFalse();
        assertThat(srm.pValue()).isNull();
    }

    private static Map<String, Long> users(long control, long ple) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("control", control);
        m.put("ple", ple);
        return m;
    }

    private static Map<String, Double> halves() {
        // The shares as the results derive them: active buckets / all active buckets at the ramp percent.
        int[] active = new TrafficSplit(java.util.List.of("control", "ple"), java.util.List.of(5000, 5000), 10)
                .activeBuckets();
        return Map.of(
                "control",
                active[0] / (double) (active[0] + active[1]),
                "ple",
                active[1] / (double) (active[0] + active[1]));
    }
}
