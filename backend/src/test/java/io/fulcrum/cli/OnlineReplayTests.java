package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.train.MtlTrainer;
import io.fulcrum.mtl.train.TrainingConfig;
import io.fulcrum.rollout.LengthTransform;
import io.fulcrum.rollout.Ranking;
import io.fulcrum.rollout.ScoringSpec;
import io.fulcrum.simulator.VideoWorld;
import io.fulcrum.simulator.VideoWorldSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of the online replay that can be checked by hand: the cascade, the order and the options. */
class OnlineReplayTests {

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
        for (String bad : new String[] {
            "log", "log:0", "log:-5", "log:Infinity", "sigmoid:120", "sigmoid:a:3", "sigmoid:NaN:3", "none:1", "square"
        }) {
            assertThatThrownBy(() -> ReproduceVideo.lengthTransform(bad))
                    .as(bad)
                    .hasMessageContaining(
                            "--online-length: none, log:SCALE or sigmoid:CENTER:SCALE with finite numbers")
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

    @Test
    void aTrainedModelRanksBetterThanChanceAndNoOrderBeatsTheTruePlayOrder() {
        VideoWorldSpec spec = VideoWorldSpec.defaults().withPopulation(VideoWorldSpec.Population.ofSize(2000, 500));
        TrainingSplits splits = ReproduceVideo.load(
                spec, 20_000, 1, List.of(ReproduceVideo.TASKS.get("vtr"), ReproduceVideo.TASKS.get("vcr")), 8);
        OnlineReplay replay = OnlineReplay.draw(
                VideoWorld.build(spec, 1), new OnlineReplay.Settings(400, 30, 5, 0.85, ScoringSpec.equalWeights(), 1));
        ModelSpec modelSpec = new ModelSpec(
                "mmoe",
                splits.inputs(),
                splits.tasks(),
                new ModelSpec.Experts(2, 0, List.of(16)),
                List.of(16),
                List.of(8),
                1,
                false,
                "relu",
                0.0,
                2);
        OnlineReplay.Outcome ranked;
        OnlineReplay.Outcome again;
        try (MtlModel model = MtlModel.create(modelSpec, splits.preprocessing(), 1)) {
            new MtlTrainer(TrainingConfig.defaults().withEpochs(5).withBatchSize(256), null, null)
                    .fit(model, splits.train(), splits.validation());
            ranked = replay.rank(model);
            again = replay.rank(model);
        }
        OnlineReplay.Outcome best = replay.playOrder();
        OnlineReplay.Outcome random = replay.randomOrder();

        assertThat(again.views()).containsExactly(ranked.views());
        assertThat(again.watchSeconds()).containsExactly(ranked.watchSeconds());
        for (int s = 0; s < ranked.views().length; s++) {
            assertThat(ranked.views()[s]).as("session %d", s).isLessThanOrEqualTo(best.views()[s] + 1e-12);
            assertThat(random.views()[s]).as("session %d", s).isLessThanOrEqualTo(best.views()[s] + 1e-12);
        }
        // the model recovers a fair share (18 % when written) of what the true play order adds over chance
        assertThat(ranked.meanViews() - random.meanViews())
                .as("the model learnt which videos get played")
                .isGreaterThan(0.1 * (best.meanViews() - random.meanViews()));
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
