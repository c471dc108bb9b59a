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
    void relativeLiftOfMeansWithTheDifferencesStandardError() {
        // lift = 4 / 2.5 − 1 = 0.6; se = √(vT/nT + vC/nC) / mC = √(4/3 + (5/3)/4) / 2.5 = √1.75 / 2.5
        // = 0.5291502622129182; 95 %: 0.6 ∓ 1.959963984540054 · se.
        RelativeLift lift = RelativeLift.ofMeans(CONTROL, TREATMENT);
        assertThat(lift.lift()).isCloseTo(0.6, within(EPS));
        assertThat(lift.standardError()).isCloseTo(Math.sqrt(1.75) / 2.5, within(EPS));
        assertThat(lift.low(0.95)).isCloseTo(-0.4371154563472456, within(EPS));
        assertThat(lift.high(0.95)).isCloseTo(1.6371154563472454, within(EPS));
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
        // lift = (2/3) / 0.4 − 1 = 2/3; se = √(VarT + VarC) / C = 0.097203… / 0.4 = 0.2430092548492481.
        // The interval excludes zero as the z-test (p 0.006) rejects; the delta method at the observed
        // ratio, √(VarT/C² + T² VarC/C⁴) = 0.34397, gave −0.0075 … 1.3408, which did not.
        RelativeLift lift = RelativeLift.ofRatios(CONTROL_RATE, TREATMENT_RATE);
        assertThat(lift.lift()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(lift.standardError()).isCloseTo(0.2430092548492481, within(EPS));
        assertThat(lift.low(0.95)).isCloseTo(0.19037727925222475, within(EPS));
        assertThat(lift.high(0.95)).isCloseTo(1.1429560540811083, within(EPS));
    }

    @Test
    void aVariantThatDoesNotVaryGetsTheIntervalOfTheTestNotOneOfZeroWidth() {
        // An A/A test read early: one share among the control's 3 users' 30 exposures, none in the
        // treatment's. The treatment's sample variance is 0; the delta method at the observed ratio
        // made the interval −100 % [−100 %, −100 %]. The difference's variance is the control's, so
        // the interval is as wide as the z-test's (z = 1, p 0.32) and contains 0.
        RatioMoments oneShare = RatioMoments.of(new double[] {1, 0, 0}, new double[] {10, 10, 10});
        RatioMoments noShare = RatioMoments.of(new double[] {0, 0, 0}, new double[] {10, 10, 10});
        RelativeLift lift = RelativeLift.ofRatios(oneShare, noShare);
        RatioZTest test = RatioZTest.of(oneShare, noShare);
        assertThat(lift.lift()).isEqualTo(-1);
        assertThat(lift.standardError()).isCloseTo(1 / Math.abs(test.z()), within(EPS));
        assertThat(lift.low(0.95)).isNegative();
        assertThat(lift.high(0.95)).isPositive();
        assertThat(test.pValue()).isGreaterThan(0.05);

        // neither variant varies (every user with the same value): no interval
        assertThat(RelativeLift.ofMeans(Moments.of(30, 30), Moments.of(30, 30)).standardError())
                .isNaN();
        assertThat(AbResults.finite(RelativeLift.ofMeans(Moments.of(30, 30), Moments.of(30, 30))
                        .low(0.95)))
                .isNull();
    }

    @Test
    void theIntervalExcludesZeroExactlyWhenTheRateTestRejects() {
        // few events, the treatment below the control: the case the A/A repeats caught
        RatioMoments control =
                RatioMoments.of(new double[] {1, 0, 2, 1, 0, 3, 1, 0}, new double[] {5, 5, 5, 5, 5, 5, 5, 5});
        RatioMoments treatment =
                RatioMoments.of(new double[] {0, 1, 0, 0, 0, 0, 1, 0}, new double[] {5, 5, 5, 5, 5, 5, 5, 5});
        RelativeLift lift = RelativeLift.ofRatios(control, treatment);
        RatioZTest test = RatioZTest.of(control, treatment);
        for (double confidence : new double[] {0.8, 0.9, 0.95, 0.99}) {
            boolean excludesZero = lift.low(confidence) > 0 || lift.high(confidence) < 0;
            assertThat(excludesZero).as("at %s", confidence).isEqualTo(test.pValue() < 1 - confidence);
        }
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
