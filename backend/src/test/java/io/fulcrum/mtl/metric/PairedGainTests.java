package io.fulcrum.mtl.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PairedGainTests {

    @Test
    void theIntervalIsStudentTOverSeeds() {
        // mean 0.02, sd 0.01, t(0.975, 2) = 4.302653, half-width 4.302653 × 0.01 / √3 = 0.024841
        PairedGain gain = PairedGain.of(new double[] {0.01, 0.02, 0.03});

        assertThat(gain.mean()).isCloseTo(0.02, offset(1e-12));
        assertThat(gain.std()).isCloseTo(0.01, offset(1e-12));
        assertThat(gain.n()).isEqualTo(3);
        assertThat(gain.ciLow()).isCloseTo(0.02 - 0.024841, offset(1e-6));
        assertThat(gain.ciHigh()).isCloseTo(0.02 + 0.024841, offset(1e-6));
    }

    @Test
    void oneSeedHasNoIntervalAndCallsNoChange() {
        PairedGain gain = PairedGain.of(new double[] {0.5});

        assertThat(gain.hasInterval()).isFalse();
        assertThat(gain.ciLow()).isNaN();
        assertThat(gain.ciHigh()).isNaN();
        assertThat(gain.std()).isZero();
        assertThat(gain.call(0)).isEqualTo(TaskCall.NO_CHANGE);
    }

    @Test
    void aGainUndefinedOnSomeSeedIsNoCallAndMakesTheVerdictInconclusive() {
        // an AUC of a test split with one class is NaN, and so is that seed's gain
        PairedGain undefined = PairedGain.of(new double[] {0.01, Double.NaN, 0.02});
        PairedGain better = PairedGain.of(new double[] {0.10, 0.11, 0.12});

        assertThat(undefined.call(0)).isEqualTo(TaskCall.UNDEFINED);
        assertThat(SeesawVerdict.of(List.of(better.call(0), undefined.call(0)), 3))
                .isEqualTo(SeesawVerdict.INCONCLUSIVE);
        assertThat(SeesawVerdict.of(List.of(better.call(0), TaskCall.NO_CHANGE), 3))
                .isEqualTo(SeesawVerdict.POSITIVE);
    }

    @Test
    void refusesNoSeedsAndANegativeTolerance() {
        assertThatThrownBy(() -> PairedGain.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PairedGain.of(new double[] {1, 2}).call(-0.1)).hasMessageContaining("tolerance");
    }

    // sd 0.001 over 3 seeds: the interval is mean ± 0.002484
    static final double[] CLEARLY_BETTER = {0.019, 0.020, 0.021};
    static final double[] CLEARLY_WORSE = {-0.019, -0.020, -0.021};
    static final double[] STRADDLES_ZERO = {0.01, 0.02, 0.03};
    static final double[] ALL_ZERO = {0, 0, 0};

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of(CLEARLY_BETTER, 0.0, TaskCall.BETTER),
                Arguments.of(CLEARLY_BETTER, 0.017, TaskCall.BETTER),
                // the interval's low end 0.0175 reaches into the band ±0.018
                Arguments.of(CLEARLY_BETTER, 0.018, TaskCall.NO_CHANGE),
                Arguments.of(CLEARLY_WORSE, 0.0, TaskCall.WORSE),
                Arguments.of(CLEARLY_WORSE, 0.018, TaskCall.NO_CHANGE),
                Arguments.of(STRADDLES_ZERO, 0.0, TaskCall.NO_CHANGE),
                Arguments.of(ALL_ZERO, 0.0, TaskCall.NO_CHANGE));
    }

    @ParameterizedTest
    @MethodSource
    void calls(double[] gains, double tolerance, TaskCall expected) {
        assertThat(PairedGain.of(gains).call(tolerance)).isEqualTo(expected);
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of("better on both", List.of(CLEARLY_BETTER, CLEARLY_BETTER), 0.0, SeesawVerdict.POSITIVE),
                Arguments.of(
                        "better on one, no change on the other",
                        List.of(CLEARLY_BETTER, STRADDLES_ZERO),
                        0.0,
                        SeesawVerdict.POSITIVE),
                Arguments.of(
                        "better on one, worse on the other",
                        List.of(CLEARLY_BETTER, CLEARLY_WORSE),
                        0.0,
                        SeesawVerdict.SEESAW),
                Arguments.of(
                        "worse on one, no change on the other",
                        List.of(STRADDLES_ZERO, CLEARLY_WORSE),
                        0.0,
                        SeesawVerdict.NEGATIVE_TRANSFER),
                Arguments.of(
                        "worse on both", List.of(CLEARLY_WORSE, CLEARLY_WORSE), 0.0, SeesawVerdict.NEGATIVE_TRANSFER),
                Arguments.of("no change is not worse", List.of(ALL_ZERO, STRADDLES_ZERO), 0.0, SeesawVerdict.NEUTRAL),
                Arguments.of(
                        "intervals straddling the tolerance",
                        List.of(CLEARLY_BETTER, CLEARLY_WORSE),
                        0.018,
                        SeesawVerdict.NEUTRAL),
                Arguments.of(
                        "two seeds, however clear",
                        List.of(new double[] {0.020, 0.021}, new double[] {0.020, 0.021}),
                        0.0,
                        SeesawVerdict.INCONCLUSIVE),
                Arguments.of(
                        "one seed", List.of(new double[] {0.5}, new double[] {-0.5}), 0.0, SeesawVerdict.INCONCLUSIVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verdicts(String name, List<double[]> gainsPerTask, double tolerance, SeesawVerdict expected) {
        List<TaskCall> calls =
                gainsPerTask.stream().map(g -> PairedGain.of(g).call(tolerance)).toList();
        assertThat(SeesawVerdict.of(calls, gainsPerTask.get(0).length)).isEqualTo(expected);
    }
}
