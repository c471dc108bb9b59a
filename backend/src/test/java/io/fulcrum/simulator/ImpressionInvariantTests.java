package io.fulcrum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The invariants documented in docs/simulator.md, checked on every impression of a stream. */
class ImpressionInvariantTests {

    static final int IMPRESSIONS = 200_000;
    static VideoWorld world;
    static LabelStatistics statistics;

    @BeforeAll
    static void generate() {
        world = SimulatorFixtures.smallWorld(3);
        statistics = new LabelStatistics();
        ImpressionGenerator generator = world.impressions(5);
        Impression impression = new Impression();
        double threshold = world.spec().watching().validViewSeconds();
        for (int i = 0; i < IMPRESSIONS; i++) {
            generator.next(impression);
            checkInvariants(impression, threshold);
            statistics.add(impression);
        }
    }

    static void checkInvariants(Impression impression, double threshold) {
        double length = impression.lengthSeconds();
        if (impression.play()) {
            assertThat(impression.watchSeconds()).isBetween(0.0, length);
            assertThat(impression.completionRatio()).isBetween(0.0, 1.0);
            assertThat(impression.validView()).isEqualTo(impression.watchSeconds() >= Math.min(threshold, length));
        } else {
            assertThat(impression.watchSeconds()).isZero();
            assertThat(impression.completionRatio()).isNaN();
            assertThat(impression.validView()).isFalse();
        }
        if (!impression.click()) {
            assertThat(impression.share()).isFalse();
            assertThat(impression.comment()).isFalse();
        }
        if (impression.click()) {
            assertThat(impression.play()).isTrue();
        }
        if (impression.scenario() == Scenario.EXPLICIT_CLICK) {
            assertThat(impression.play()).isEqualTo(impression.click());
        }
    }

    @Test
    void everyActionHappensSometimesSoTheInvariantsWereExercised() {
        int all = LabelStatistics.ALL;
        assertThat(statistics.clickRate(all)).isBetween(0.02, 0.5);
        assertThat(statistics.validViewRate(all)).isBetween(0.05, 0.9);
        assertThat(statistics.validViewRateOfPlays(all)).isBetween(0.05, 0.95);
        assertThat(statistics.shareRateOfClicks(all)).isBetween(0.005, 0.5);
        assertThat(statistics.commentRateOfClicks(all)).isBetween(0.005, 0.5);
        assertThat(statistics.impressions(Scenario.AUTOPLAY.ordinal()))
                .isCloseTo(IMPRESSIONS / 2, within((long) (5 * Math.sqrt(IMPRESSIONS / 4.0))));
    }

    @Test
    void autoPlayedImpressionsArePlayedFarMoreOftenThanClickOnlyOnes() {
        double autoplay = statistics.playRate(Scenario.AUTOPLAY.ordinal());
        double explicit = statistics.playRate(Scenario.EXPLICIT_CLICK.ordinal());
        assertThat(autoplay).isGreaterThan(0.8);
        assertThat(explicit).isLessThan(0.2);
        assertThat(autoplay).isGreaterThan(4 * explicit);
    }

    @Test
    void theValidViewCompletionRelationDependsOnTheScenario() {
        double autoplay = statistics.validViewCompletionCorrelation(Scenario.AUTOPLAY.ordinal());
        double explicit = statistics.validViewCompletionCorrelation(Scenario.EXPLICIT_CLICK.ordinal());
        assertThat(autoplay).isBetween(0.3, 0.95);
        assertThat(explicit).isBetween(0.3, 0.95);
        // About 11k explicit plays: the standard error of each correlation is below 0.005.
        assertThat(autoplay - explicit).isGreaterThan(0.03);
        // Committed viewers finish a share of the video, so in the explicit-click scenario plays are
        // valid views far more often and watched further than auto-plays.
        assertThat(statistics.validViewRateOfPlays(Scenario.EXPLICIT_CLICK.ordinal()))
                .isGreaterThan(statistics.validViewRateOfPlays(Scenario.AUTOPLAY.ordinal()) + 0.2);
        assertThat(statistics.meanCompletionOfPlays(Scenario.EXPLICIT_CLICK.ordinal()))
                .isGreaterThan(statistics.meanCompletionOfPlays(Scenario.AUTOPLAY.ordinal()) + 0.2);
    }

    @Test
    void aVideoShorterThanTheThresholdIsAValidViewExactlyWhenFinished() {
        VideoWorldSpec spec = SimulatorFixtures.smallSpec()
                .withWatching(VideoWorldSpec.Watching.defaults().withValidViewSeconds(10_000));
        VideoWorld longThreshold = VideoWorld.build(spec, 3);
        ImpressionGenerator generator = longThreshold.impressions(1);
        Impression impression = new Impression();
        int valid = 0;
        for (int i = 0; i < 50_000; i++) {
            generator.next(impression);
            checkInvariants(impression, 10_000);
            if (impression.validView()) {
                valid++;
                assertThat(impression.completionRatio()).isEqualTo(1.0);
            }
        }
        assertThat(valid).isPositive();
    }
}
