package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * CUPED, always-valid intervals, the corrections across metrics and power planning against values
 * derived by hand in the comments or taken from the worked examples of the methods brief
 * (../shared/paper/methods-brief.md, sections 9 to 12), which were recomputed there by script.
 */
class AbAnalysisMethodsTests {

    private static final double EPS = 1e-9;

    @Nested
    class MomentsOfUsers {

        // Brief §9: control (X, Y) = (1,2), (2,3), (3,5); treatment (2,4), (3,5), (4,7).
        private final UserMoments control = UserMoments.of(new double[][] {{2, 1}, {3, 2}, {5, 3}});
        private final UserMoments treatment = UserMoments.of(new double[][] {{4, 2}, {5, 3}, {7, 4}});

        @Test
        void poolingGivesTheTotalCovarianceOfAllUsers() {
            // All six X: 1 2 3 2 3 4, mean 2.5, Σ(x − 2.5)² = 5.5, var 5.5 / 5 = 1.1 (brief: 1.1).
            // Y: 2 3 5 4 5 7, mean 13/3; Σ(x − 2.5)(y − 13/3) = 9, cov 9 / 5 = 1.8 (brief: 1.8).
            UserMoments pool = UserMoments.pool(control, treatment);
            assertThat(pool.n()).isEqualTo(6);
            assertThat(pool.mean(1)).isCloseTo(2.5, within(EPS));
            assertThat(pool.covariance(1, 1)).isCloseTo(1.1, within(EPS));
            assertThat(pool.covariance(0, 1)).isCloseTo(1.8, within(EPS));
            assertThat(pool.covariance(1, 0)).isCloseTo(1.8, within(EPS));
        }

        @Test
        void theStreamingAccumulatorAgreesWithTwoPasses() {
            // control Y 2 3 5: mean 10/3, s² = (16/9 + 1/9 + 25/9) / 2 = 7/3; s_XY = (4/3 + 0 + 5/3) / 2 = 1.5
            assertThat(control.mean(0)).isCloseTo(10.0 / 3, within(EPS));
            assertThat(control.covariance(0, 0)).isCloseTo(7.0 / 3, within(EPS));
            assertThat(control.covariance(0, 1)).isCloseTo(1.5, within(EPS));
            assertThat(UserMoments.of(new double[][] {{1, 1}}).covariance(0, 0)).isNaN();
        }
    }

    @Nested
    class CupedAdjustment {

        @Test
        void perUserMetricMatchesTheBriefsWorkedExample() {
            // Columns (Y, X, has-pre); every user has pre-exposure data, so the indicator is constant
            // and only X is used. θ = 1.8 / 1.1 = 18/11. X̄_c = 2, X̄_t = 3, pooled 2.5:
            // adjusted control 10/3 − 18/11 · (−0.5) = 4.151515…, treatment 16/3 − 18/11 · 0.5 = 4.515151…,
            // Δ_cv = 2 − 18/11 = 4/11. Per variant s²_cv = 7/3 + (18/11)² · 1 − 2 · 18/11 · 1.5 = 0.101928…
            // (the treatment's moments are the control's shifted), SE = √(2 · 0.101928 / 3) = 0.26068
            // against the unadjusted √(2 · (7/3) / 3) = 1.24722 (brief: 0.2607 and 1.2472).
            UserMoments c = UserMoments.of(new double[][] {{2, 1, 1}, {3, 2, 1}, {5, 3, 1}});
            UserMoments t = UserMoments.of(new double[][] {{4, 2, 1}, {5, 3, 1}, {7, 4, 1}});
            Cuped.Adjusted a = Cuped.ofMeans(c, t, 0, 1, 2);
            double sCv = 7.0 / 3 + (18.0 / 11) * (18.0 / 11) - 2 * (18.0 / 11) * 1.5;
            assertThat(a.treatment() - a.control()).isCloseTo(4.0 / 11, within(EPS));
            assertThat(a.control()).isCloseTo(10.0 / 3 + 9.0 / 11, within(EPS));
            assertThat(a.controlVariance()).isCloseTo(sCv / 3, within(EPS));
            assertThat(Math.sqrt(a.controlVariance() + a.treatmentVariance())).isCloseTo(0.26068, within(1e-5));
            // reduction 1 − 0.101928 / (7/3) = 0.956316
            assertThat(a.varianceReduction()).isCloseTo(1 - sCv / (7.0 / 3), within(EPS));
            // the lift is relative to the centred adjusted control: (4/11) / (10/3 + 9/11)
            assertThat(a.lift().lift()).isCloseTo((4.0 / 11) / (10.0 / 3 + 9.0 / 11), within(EPS));
        }

        @Test
        void usersWithoutPreExposureDataKeepTheirOwnIntercept() {
            // (Y, X, H): two new users (X = 0, H = 0) per variant whose Y is 10 higher than the
            // known users' Y = X would predict. With the indicator the fit is exact: Y = X + 10 (1 − H),
            // θ = (1, −10), so every adjusted value is the same per variant and the variance is 0.
            UserMoments c = UserMoments.of(new double[][] {{1, 1, 1}, {2, 2, 1}, {3, 3, 1}, {10, 0, 0}, {10, 0, 0}});
            UserMoments t = UserMoments.of(new double[][] {{2, 2, 1}, {3, 3, 1}, {4, 4, 1}, {10, 0, 0}, {10, 0, 0}});
            Cuped.Adjusted a = Cuped.ofMeans(c, t, 0, 1, 2);
            assertThat(a.controlVariance()).isCloseTo(0, within(1e-12));
            assertThat(a.treatmentVariance()).isCloseTo(0, within(1e-12));
            // the treatment's known users have X higher by 1 and Y higher by exactly that: Δ_cv = 0
            assertThat(a.treatment() - a.control()).isCloseTo(0, within(1e-12));
            // the raw difference of means is (19 − 16) / 5 = 0.6
            assertThat(t.mean(0) - c.mean(0)).isCloseTo(0.6, within(EPS));
        }

        @Test
        void nothingToAdjustByGivesNoAdjustment() {
            UserMoments c = UserMoments.of(new double[][] {{2, 0, 0}, {3, 0, 0}});
            UserMoments t = UserMoments.of(new double[][] {{4, 0, 0}, {5, 0, 0}});
            assertThat(Cuped.ofMeans(c, t, 0, 1, 2)).isNull();
        }

        @Test
        void ratioWithUnitDenominatorsIsThePerUserAdjustmentWithTheWithinVariantTheta() {
            // (Y, N, X, M) with N = M = 1: R = Ȳ, R_pre = X̄, Var R = s²_Y / 3 = 7/9, Var R_pre = 1/3,
            // Cov = s_XY / 3 = 0.5 in each variant. θ = (0.5 + 0.5) / (1/3 + 1/3) = 1.5.
            // Δ_cv = 2 − 1.5 · (3 − 2) = 0.5; Var per variant = 7/9 + 2.25/3 − 2 · 1.5 · 0.5 = 1/36,
            // SE = √(2/36) = 0.235702.
            UserMoments c = UserMoments.of(new double[][] {{2, 1, 1, 1}, {3, 1, 2, 1}, {5, 1, 3, 1}});
            UserMoments t = UserMoments.of(new double[][] {{4, 1, 2, 1}, {5, 1, 3, 1}, {7, 1, 4, 1}});
            Cuped.Adjusted a = Cuped.ofRatios(c, t, 0, 1, 2, 3);
            assertThat(a.treatment() - a.control()).isCloseTo(0.5, within(EPS));
            assertThat(a.controlVariance()).isCloseTo(1.0 / 36, within(EPS));
            assertThat(Math.sqrt(a.controlVariance() + a.treatmentVariance()))
                    .isCloseTo(Math.sqrt(2.0 / 36), within(EPS));
        }

        @Test
        void ratioMetricByTheDeltaMethod() {
            // Control (Y, N, X, M): (1,2,1,2), (2,4,1,3), (3,4,2,4): means (2, 10/3, 4/3, 3),
            //   S (n − 1): s_YY 1, s_YN 1, s_YX 0.5, s_YM 1, s_NN 4/3, s_NX 1/3, s_NM 1, s_XX 1/3, s_XM 0.5, s_MM 1.
            //   R = 2 / (10/3) = 0.6, R_pre = (4/3) / 3 = 4/9; ∇R = (0.3, −0.18), ∇R_pre = (1/3, −4/27).
            //   Var R = (0.09 · 1 − 2 · 0.054 · 1 + 0.0324 · 4/3) / 3 = 0.0084;
            //   Var R_pre = (1/9 · 1/3 − 2 · 4/81 · 0.5 + 16/729 · 1) / 3 = 0.00320073;
            //   Cov = (0.3/3 · 0.5 − 0.3 · 4/27 · 1 − 0.18/3 · 1/3 + 0.18 · 4/27 · 1) / 3 = 0.00407407.
            // Treatment (2,3,1,2), (3,4,2,3), (4,5,2,5): means (3, 4, 5/3, 10/3), R = 0.75, R_pre = 0.5;
            //   Var R = 0.00130208, Var R_pre = 0.0075, Cov = −0.0015625 (same steps).
            // θ = (0.00407407 − 0.0015625) / (0.00320073 + 0.0075) = 0.234711.
            // Pooled R_pre = (9/6) / (19/6) = 9/19. Adjusted: control 0.6 − θ (4/9 − 9/19) = 0.606863,
            // treatment 0.75 − θ (0.5 − 9/19) = 0.743823; variances 0.00666387 and 0.00244872;
            // lift 0.743823 / 0.606863 − 1 = 0.225686 with se √(0.00911259) / 0.606863 = 0.157301,
            // against 0.25 and 0.164165 unadjusted; variance reduction 1 − 0.00911259 / 0.00970208 = 0.060759.
            UserMoments c = UserMoments.of(new double[][] {{1, 2, 1, 2}, {2, 4, 1, 3}, {3, 4, 2, 4}});
            UserMoments t = UserMoments.of(new double[][] {{2, 3, 1, 2}, {3, 4, 2, 3}, {4, 5, 2, 5}});
            Cuped.Adjusted a = Cuped.ofRatios(c, t, 0, 1, 2, 3);
            assertThat(a.control()).isCloseTo(0.606863, within(1e-6));
            assertThat(a.treatment()).isCloseTo(0.743823, within(1e-6));
            assertThat(a.controlVariance()).isCloseTo(0.00666387, within(1e-8));
            assertThat(a.treatmentVariance()).isCloseTo(0.00244872, within(1e-8));
            assertThat(a.lift().lift()).isCloseTo(0.225686, within(1e-6));
            assertThat(a.lift().standardError()).isCloseTo(0.157301, within(1e-6));
            assertThat(a.varianceReduction()).isCloseTo(0.060759, within(1e-6));
            assertThat(RelativeLift.ofRatios(c.ratio(0, 1), t.ratio(0, 1)).standardError())
                    .isCloseTo(0.164165, within(1e-6));
        }
    }

    @Nested
    class AlwaysValidIntervals {

        @Test
        void mixtureSprtMatchesTheBriefsExample() {
            // Brief §10: V = 2, n = 100 per variant, Δ̂ = 0.4, τ² = 0.1, α = 0.05. In this class's terms
            // N = 200 users, SE = √(V / n) = √0.02, ρ² = τ² / (2V) = 0.025 (Nρ² = 5), z = 0.4 / √0.02:
            // Λ = e^{z² · 5 / 12} / √6 = e^{10/3} / √6 = 11.44 → p = 1/Λ = 0.0874;
            // half-width √0.02 · √(2 · 6/5 · ln(√6 / 0.05)) = 0.4322.
            double se = Math.sqrt(0.02);
            assertThat(SequentialTest.pValue(0.4 / se, 200, 0.025))
                    .isCloseTo(Math.sqrt(6) / Math.exp(10.0 / 3), within(EPS));
            assertThat(SequentialTest.pValue(0.4 / se, 200, 0.025)).isCloseTo(0.0874, within(5e-5));
            assertThat(se * SequentialTest.widthFactor(200, 0.05, 0.025)).isCloseTo(0.4322, within(5e-5));
        }

        @Test
        void plannedSizeTunesRhoAsGrowthBookDoes() {
            // ρ² = (−2 ln 0.05 + ln(1 − 2 ln 0.05)) / 5000 = (5.991465 + 1.944690) / 5000 = 0.0015872;
            // at N = 5000 with s = 1 (SE = 1/√5000) the half-width is 0.042924, 1.549 × 1.96/√5000.
            double rho2 = SequentialTest.rhoSquared(5000, 0.05);
            assertThat(rho2).isCloseTo(0.0015872, within(1e-7));
            assertThat(SequentialTest.widthFactor(5000, 0.05, rho2) / Math.sqrt(5000))
                    .isCloseTo(0.042924, within(1e-6));
        }

        @Test
        void aSequentialLiftIsTheFixedOneWidened() {
            RelativeLift fixed = new RelativeLift(0.02, 0.01);
            SequentialLift sequential = new SequentialLift(fixed, 5000, 5000, 0.05);
            double half = 0.01 * SequentialTest.widthFactor(5000, 0.05, SequentialTest.rhoSquared(5000, 0.05));
            assertThat(sequential.low(0.95)).isCloseTo(0.02 - half, within(EPS));
            assertThat(sequential.high(0.95)).isCloseTo(0.02 + half, within(EPS));
            assertThat(sequential.high(0.95) - sequential.low(0.95)).isGreaterThan(fixed.high(0.95) - fixed.low(0.95));
            // the always-valid p at z = 2 is larger than the fixed 0.0455
            assertThat(sequential.pValue(0)).isGreaterThan(fixed.pValue(0));
            assertThat(fixed.pValue(0)).isCloseTo(0.04550026389635842, within(EPS));
            // its interval excludes zero exactly when its p-value is below alpha
            for (double lift : new double[] {0.01, 0.02, 0.03, 0.04}) {
                SequentialLift s = new SequentialLift(new RelativeLift(lift, 0.01), 3000, 5000, 0.05);
                assertThat(s.low(0.95) > 0).isEqualTo(s.pValue(0) < 0.05);
            }
        }
    }

    @Nested
    class CorrectionsAcrossMetrics {

        // Brief §11: p = (0.01, 0.04, 0.03, 0.005), sorted 0.005, 0.01, 0.03, 0.04.
        private final double[] p = {0.01, 0.04, 0.03, 0.005};

        @Test
        void holmStepsDown() {
            // 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06, in the caller's order
            assertThat(Correction.HOLM.adjust(p)).containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(EPS));
        }

        @Test
        void benjaminiHochbergStepsUp() {
            // 4·0.04/4 = 0.04, min(0.04, 4·0.03/3) = 0.04, 4·0.01/2 = 0.02, min(0.02, 4·0.005/1) = 0.02
            assertThat(Correction.BENJAMINI_HOCHBERG.adjust(p))
                    .containsExactly(new double[] {0.02, 0.04, 0.04, 0.02}, within(EPS));
        }

        @Test
        void undefinedPValuesAreNotTests() {
            // the family is the two defined p-values: Holm 2·0.01 = 0.02, max(0.02, 0.04) = 0.04
            double[] adjusted = Correction.HOLM.adjust(new double[] {0.04, Double.NaN, 0.01});
            assertThat(adjusted[0]).isCloseTo(0.04, within(EPS));
            assertThat(adjusted[1]).isNaN();
            assertThat(adjusted[2]).isCloseTo(0.02, within(EPS));
            assertThat(Correction.NONE.adjust(p)).containsExactly(p);
        }
    }

    @Nested
    class Power {

        // Brief §12: α = 0.05, power 0.8: z_a + z_b = 1.95996 + 0.84162 = 2.80159.
        @Test
        void usersForARelativeLift() {
            // μ = 10, σ = 5 (CV 0.5), r = 2 %: n = 2 · 0.25 · 7.84888 / 0.0004 = 9811.1 → 9812
            assertThat(PowerPlanning.usersPerVariant(0.5, 0.02, 0.05, 0.8)).isEqualTo(9812);
        }

        @Test
        void minimumDetectableEffect() {
            // n = 10000, CV 0.5: 2.80159 · 0.5 · √(2/10000) = 0.019810 (brief, first order);
            // n = 1000, CV 1: 2.80159 · √0.002 = 0.12529 (the brief's σ = 1, μ = 1 example)
            assertThat(PowerPlanning.mde(0.5, 10_000, 0.05, 0.8)).isCloseTo(0.019810, within(1e-6));
            assertThat(PowerPlanning.mde(1, 1000, 0.05, 0.8)).isCloseTo(0.12529, within(1e-5));
        }

        @Test
        void sequentialNeedsALargerEffect() {
            // at N* = 20000 the width factor is 1.549-ish times 1.96 instead of 1.96
            double fixed = PowerPlanning.mde(0.5, 10_000, 0.05, 0.8);
            double sequential = PowerPlanning.sequentialMde(0.5, 10_000, 0.05, 0.8);
            double factor = SequentialTest.widthFactor(20_000, 0.05, SequentialTest.rhoSquared(20_000, 0.05));
            assertThat(sequential)
                    .isCloseTo((factor + 0.8416212335729143) * 0.5 * Math.sqrt(2.0 / 10_000), within(EPS));
            assertThat(sequential / fixed).isBetween(1.3, 1.5);
        }
    }
}
