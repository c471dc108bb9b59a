package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringSpecTests {

    private static final List<String> TASKS = List.of("vtr", "vcr");

    @Test
    void weightedMultiplicationMatchesHandComputation() {
        ScoringSpec spec = new ScoringSpec(Map.of("vtr", 2.0, "vcr", 0.5), LengthTransform.NONE);
        float[][] p = {{0.5f, 0.2f}, {0.64f, 0.81f}};
        double[] s = spec.score(TASKS, p, null, 2);
        assertThat(s[0]).isCloseTo(0.25 * 0.8, within(1e-6)); // 0.5² · √0.64
        assertThat(s[1]).isCloseTo(0.04 * 0.9, within(1e-6)); // 0.2² · √0.81
    }

    @Test
    void missingExponentsAreOneAndZeroLeavesATaskOut() {
        ScoringSpec spec = new ScoringSpec(Map.of("vcr", 0.0), null);
        double[] s = spec.score(TASKS, new float[][] {{0.3f}, {0.9f}}, null, 1);
        assertThat(s[0]).isCloseTo(0.3, within(1e-6));
    }

    @Test
    void lengthTransformsMatchTheirFormulas() {
        LengthTransform sigmoid = new LengthTransform("sigmoid", 60.0, 20.0);
        assertThat(sigmoid.apply(60)).isCloseTo(0.5, within(1e-12));
        assertThat(sigmoid.apply(80)).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
        LengthTransform log = new LengthTransform("log", null, 30.0);
        assertThat(log.apply(30)).isCloseTo(Math.log(2), within(1e-12));
        assertThat(LengthTransform.NONE.apply(1234)).isEqualTo(1.0);

        ScoringSpec spec = new ScoringSpec(Map.of(), log);
        double[] s = spec.score(List.of("vtr"), new float[][] {{0.5f}}, new double[] {90}, 1);
        assertThat(s[0]).isCloseTo(0.5 * Math.log(4), within(1e-6));
    }

    @Test
    void nonPositiveRegressionOutputsAreFlooredNotFlipped() {
        ScoringSpec spec = new ScoringSpec(Map.of("vcr", 1.0), null);
        double[] s = spec.score(List.of("vcr"), new float[][] {{-0.2f, 0.0f}}, null, 2);
        assertThat(s[0]).isEqualTo(s[1]).isCloseTo(ScoringSpec.PREDICTION_FLOOR, within(1e-12));
    }
}
