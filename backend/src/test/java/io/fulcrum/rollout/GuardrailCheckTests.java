package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Guardrail decisions against hand-computed intervals and tests (values checked with SciPy). */
class GuardrailCheckTests {

    private static final double EPS = 1e-9;

    // Control: 200 users, mean watch time 100 s, s² 400. Treatment: 200 users, s² 400.
    private static final Moments CONTROL = new Moments(200, 100, 400);

    @Test
    void significantlyWorseThanTheAllowedDropIsABreach() {
        // Treatment mean 94: lift −0.06; se = √(400/200 + 400/200) / 100 = 0.02; 95 % CI −0.0992 … −0.0208,
        // entirely below −0.02. p of lift = −0.02: 2 Φ(−|−0.06 + 0.02| / 0.02) = 2 Φ(−2) = 0.04550026389635839.
        GuardrailStatus s = GuardrailCheck.relativeDrop(
                "ple",
                "control",
                "watch_time_per_user",
                0.02,
                0.05,
                200,
                200,
                RelativeLift.ofMeans(CONTROL, new Moments(200, 94, 400)),
                100);
        assertThat(s.breached()).isTrue();
        assertThat(s.rule()).isEqualTo("maxRelativeDrop");
        assertThat(s.threshold()).isEqualTo(0.02);
        assertThat(s.observed()).isCloseTo(-0.06, within(EPS));
        assertThat(s.pValue()).isCloseTo(0.04550026389635839, within(EPS));
        assertThat(s.explanation())
                .isEqualTo("watch_time_per_user of ple is −6.0 % (95 % CI −9.9 % … −2.1 %) vs control,"
                        + " worse than the allowed −2 %");
    }

    @Test
    void underASequentialAnalysisTheSameDropWaitsForTheAlwaysValidInterval() {
        // The breach above, read sequentially at N = 400 users planned for 400: ρ² = 7.936154 / 400 =
        // 0.019840, Nρ² = 7.936154, width factor √(2 · 8.936154 / 7.936154 · ln(√8.936154 / 0.05)) = 3.035209,
        // so the interval is −0.06 ± 0.02 · 3.035209 = −0.120704 … 0.000704: not below −0.02, no breach.
        RelativeLift fixed = RelativeLift.ofMeans(CONTROL, new Moments(200, 94, 400));
        GuardrailStatus s = GuardrailCheck.relativeDrop(
                "ple",
                "control",
                "watch_time_per_user",
                0.02,
                0.05,
                200,
                200,
                new SequentialLift(fixed, 400, 400, 0.05),
                100);
        assertThat(s.breached()).isFalse();
        assertThat(s.explanation())
                .isEqualTo("watch_time_per_user of ple is −6.0 % (95 % always-valid CI −12.1 % … +0.1 %) vs control,"
                        + " not significantly worse than the allowed −2 %");
        // twice the drop breaches: −0.12 ± 0.060704 lies below −0.02
        GuardrailStatus worse = GuardrailCheck.relativeDrop(
                "ple",
                "control",
                "watch_time_per_user",
                0.02,
                0.05,
                200,
                200,
                new SequentialLift(RelativeLift.ofMeans(CONTROL, new Moments(200, 88, 400)), 400, 400, 0.05),
                100);
        assertThat(worse.breached()).isTrue();
    }

    @Test
    void aSmallerAlphaWidensTheIntervalAndTheSameDropNoLongerBreaches() {
        // At alpha 0.01 the upper end is −0.06 + 2.5758·0.02 = −0.0085 > −0.02: not shown to be worse.
        GuardrailStatus s = GuardrailCheck.relativeDrop(
                "ple",
                "control",
                "watch_time_per_user",
                0.02,
                0.01,
                200,
                200,
                RelativeLift.ofMeans(CONTROL, new Moments(200, 94, 400)),
                100);
        assertThat(s.breached()).isFalse();
        assertThat(s.explanation()).contains("99 % CI").contains("not significantly worse than the allowed −2 %");
    }

    @Test
    void aDropWithinTheAllowanceIsNoBreach() {
        // Treatment mean 97: lift −0.03, se 0.02, 95 % CI −0.0692 … +0.0092; p 2 Φ(−0.5).
        GuardrailStatus s = GuardrailCheck.relativeDrop(
                "ple",
                "control",
                "watch_time_per_user",
                0.02,
                0.05,
                200,
                200,
                RelativeLift.ofMeans(CONTROL, new Moments(200, 97, 400)),
                100);
        assertThat(s.breached()).isFalse();
        assertThat(s.pValue()).isCloseTo(0.6170750774519738, within(EPS));
        assertThat(s.explanation())
                .isEqualTo("watch_time_per_user of ple is −3.0 % (95 % CI −6.9 % … +0.9 %) vs"
                        + " control, not significantly worse than the allowed −2 %");
    }

    @Test
    void fewerUsersThanTheMinimumNeverBreach() {
        // The same −6 % with 99 treatment users: too early to act.
        GuardrailStatus s = GuardrailCheck.relativeDrop(
                "ple",
                "control",
                "watch_time_per_user",
                0.02,
                0.05,
                200,
                99,
                RelativeLift.ofMeans(CONTROL, new Moments(99, 50, 400)),
                100);
        assertThat(s.breached()).isFalse();
        assertThat(s.pValue()).isNull();
        assertThat(s.explanation()).contains("not enough data").contains("99 users in ple");
    }

    @Test
    void latencyBreachesWhenSignificantlyMoreThanOnePercentIsSlower() {
        // 20 of 1000 requests over 20 ms: share 0.02, z = (0.02 − 0.01) / √(0.01·0.99/1000) = 3.178208630818641,
        // one-sided p = 1 − Φ(z) = 0.00074094038736019366 < 0.05.
        GuardrailStatus s = GuardrailCheck.latency("ple", "p99_latency_ms", 20, 0.05, 23.5, 1000, 20, 100);
        assertThat(s.breached()).isTrue();
        assertThat(s.rule()).isEqualTo("maxMillis");
        assertThat(s.observed()).isEqualTo(23.5);
        assertThat(s.pValue()).isCloseTo(0.00074094038736019366, within(1e-12));
        assertThat(s.explanation())
                .isEqualTo("p99 latency of ple is 23.5 ms; 2.0 % of its 1,000 requests took longer than 20 ms,"
                        + " significantly more than 1 % (p = 0.0007)");
    }

    @Test
    void latencySlightlyAboveOnePercentIsNoBreach() {
        // 12 of 1000: z = 0.63564172616372816, p = 0.26250498320930171.
        GuardrailStatus s = GuardrailCheck.latency("ple", "p99_latency_ms", 20, 0.05, 20.4, 1000, 12, 100);
        assertThat(s.breached()).isFalse();
        assertThat(s.pValue()).isCloseTo(0.26250498320930171, within(EPS));
    }

    @Test
    void latencyNeedsEnoughRequests() {
        GuardrailStatus s = GuardrailCheck.latency("ple", "p99_latency_ms", 20, 0.05, 90, 99, 50, 100);
        assertThat(s.breached()).isFalse();
        assertThat(s.explanation()).contains("not enough data");
    }
}
