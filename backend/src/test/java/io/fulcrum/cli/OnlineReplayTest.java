package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.rollout.LengthTransform;
import io.fulcrum.rollout.Ranking;
import io.fulcrum.rollout.ScoringSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of the online replay that can be checked by hand: the cascade, the order and the options. */
class OnlineReplayTest {

    @Test
    void cascadeWeighsEachRankByTheChanceOfBeingLookedAt() {
        double[] value = {9, 1, 2, 3, 4};
        // items at offsets 3, 0, 1 of a session starting at index 1: values 4, 1, 2
        double expected = 4 + 0.5 * 1 + 0.25 * 2;

        assertThat(OnlineReplay.cascade(new int[] {3, 0, 1}, value, 1, 0.5)).isCloseTo(expected, within(1e-12));
        assertThat(OnlineReplay.cascade(new int[] {3, 0, 1}, value, 1, 0.0)).isEqualTo(4.0);
        assertThat(OnlineReplay.cascade(new int[] {3, 0, 1}, value, 1, 1.0)).isEqualTo(7.0);
    }

    @Test
    void bestFirstKeepsTiesInCandidateOrderAndPutsNaNLast() {
        double[] scores = {100, 0.2, Double.NaN, 0.5, 0.2, 0.9, -1};

        assertThat(Ranking.bestFirst(scores, 1, 5, 10)).containsExactly(4, 2, 0, 3, 1);
        assertThat(Ranking.bestFirst(scores, 1, 5, 2)).containsExactly(4, 2);
        assertThat(Ranking.bestFirst(scores, 0, 7, 3)).containsExactly(0, 5, 3);
    }

    @Test
    void lengthTransformsParseTheDocumentedForms() {
        assertThat(ReproduceVideo.lengthTransform("none")).isEqualTo(LengthTransform.NONE);
        assertThat(ReproduceVideo.lengthTransform("log:60")).isEqualTo(new LengthTransform("log", null, 60.0));
        assertThat(ReproduceVideo.lengthTransform("sigmoid:120:30"))
                .isEqualTo(new LengthTransform("sigmoid", 120.0, 30.0));
        for (String bad : new String[] {"log", "log:0", "log:-5", "sigmoid:120", "sigmoid:a:3", "none:1", "square"}) {
            assertThatThrownBy(() -> ReproduceVideo.lengthTransform(bad))
                    .as(bad)
                    .hasMessageContaining("--online-length: none, log:SCALE or sigmoid:CENTER:SCALE")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void onlineOptionsAreOffByDefaultAndReadWhenSessionsAreAsked() {
        assertThat(ReproduceVideo.onlineSettings(new CliArgs(new String[0], names())))
                .isNull();

        OnlineReplay.Settings settings = ReproduceVideo.onlineSettings(new CliArgs(
                new String[] {
                    "--online-sessions", "300", "--online-exponents", "vtr=1,vcr=0.5", "--online-length", "log:60"
                },
                names()));

        assertThat(settings.sessions()).isEqualTo(300);
        assertThat(settings.candidates()).isEqualTo(50);
        assertThat(settings.limit()).isEqualTo(10);
        assertThat(settings.patience()).isEqualTo(0.85);
        assertThat(settings.scoring())
                .isEqualTo(new ScoringSpec(Map.of("vtr", 1.0, "vcr", 0.5), new LengthTransform("log", null, 60.0)));
    }

    @Test
    void badExponentsAndPatienceAreRefusedByName() {
        for (String bad : new String[] {"vtr", "vtr=", "=1", "vtr=-1", "vtr=x", "vtr=Infinity"}) {
            assertThatThrownBy(() -> ReproduceVideo.onlineSettings(
                            new CliArgs(new String[] {"--online-sessions", "10", "--online-exponents", bad}, names())))
                    .as(bad)
                    .hasMessageContaining("--online-exponents")
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> ReproduceVideo.onlineSettings(
                        new CliArgs(new String[] {"--online-sessions", "10", "--online-patience", "1.5"}, names())))
                .hasMessageContaining("--online-patience must be in [0, 1], was 1.5");
    }

    private static java.util.Set<String> names() {
        return SweepOptions.namesWith(
                "online-sessions",
                "online-candidates",
                "online-limit",
                "online-patience",
                "online-exponents",
                "online-length");
    }
}
