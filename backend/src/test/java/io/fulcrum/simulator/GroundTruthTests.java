package io.fulcrum.simulator;

import static io.fulcrum.simulator.SimulatorFixtures.fiveSigma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The sampled labels are drawn from exactly the probabilities the ground truth reports. */
class GroundTruthTests {

    final VideoWorld world = SimulatorFixtures.smallWorld(9);

    @Test
    void repeatedResponsesOfOneUserToOneVideoMatchTheGroundTruth() {
        int shortVideo = videoWhere(length -> length < world.spec().watching().validViewSeconds());
        int longVideo = videoWhere(length -> length > 300);
        Context[] contexts = {
            new Context(Scenario.AUTOPLAY, Device.ANDROID, 21),
            new Context(Scenario.EXPLICIT_CLICK, Device.WEB, 9),
            new Context(Scenario.AUTOPLAY, Device.IOS, 3)
        };
        int user = 17;
        for (int video : new int[] {shortVideo, longVideo, 42}) {
            for (Context context : contexts) {
                checkResponses(user, context, video);
            }
        }
    }

    /** A user who likes a video a lot, so click-conditional rates are measured on many clicks. */
    @Test
    void engagedUsersToo() {
        int video = 5;
        int best = 0;
        for (int user = 0; user < world.users(); user++) {
            if (world.affinity(user, video) > world.affinity(best, video)) {
                best = user;
            }
        }
        checkResponses(best, new Context(Scenario.EXPLICIT_CLICK, Device.ANDROID, 20), video);
        checkResponses(best, new Context(Scenario.AUTOPLAY, Device.WEB, 12), video);
    }

    /**
     * Where auto-plays are often skipped and clicks are common, the clicked and the passive plays
     * mix in comparable shares, so the ground truth's mixing of the two is put to the test.
     */
    @Test
    void aWorldOfFrequentSkipsAndClicksToo() {
        VideoWorldSpec spec = SimulatorFixtures.smallSpec()
                .withClicks(new VideoWorldSpec.Clicks(0.0, null, null, null, null, null))
                .withWatching(new VideoWorldSpec.Watching(
                        -1.5, null, 3.0, -3.0, null, null, null, null, null, null, null, null, null));
        VideoWorld skippy = VideoWorld.build(spec, 9);
        for (int user = 0; user < 3; user++) {
            checkResponses(skippy, user, new Context(Scenario.AUTOPLAY, Device.ANDROID, 20), 11 + user);
        }
    }

    void checkResponses(int user, Context context, int video) {
        checkResponses(world, user, context, video);
    }

    static void checkResponses(VideoWorld world, int user, Context context, int video) {
        ActionProbabilities truth = world.groundTruth(user, context, video);
        SimulationRandom random = new SimulationRandom(user * 31L + video, context.hour());
        Impression impression = new Impression();
        int n = 60_000;
        long clicks = 0;
        long plays = 0;
        long valid = 0;
        long shares = 0;
        long comments = 0;
        double watch = 0;
        double watchSquares = 0;
        double completion = 0;
        double completionSquares = 0;
        for (int i = 0; i < n; i++) {
            world.respond(user, context, video, random, impression);
            if (impression.click()) {
                clicks++;
                shares += impression.share() ? 1 : 0;
                comments += impression.comment() ? 1 : 0;
            }
            if (impression.play()) {
                plays++;
                valid += impression.validView() ? 1 : 0;
                watch += impression.watchSeconds();
                watchSquares += impression.watchSeconds() * impression.watchSeconds();
                completion += impression.completionRatio();
                completionSquares += impression.completionRatio() * impression.completionRatio();
            }
        }
        String where = "user " + user + ", video " + video + ", " + context;
        assertRate(where + ": click", clicks, n, truth.click());
        assertRate(where + ": play", plays, n, truth.play());
        assertRate(where + ": valid view", valid, n, truth.validView());
        if (clicks > 200) {
            assertRate(where + ": share | click", shares, clicks, truth.shareGivenClick());
            assertRate(where + ": comment | click", comments, clicks, truth.commentGivenClick());
        }
        if (plays > 200) {
            assertMean(where + ": watch | play", watch, watchSquares, plays, truth.expectedWatchSecondsGivenPlay());
            assertMean(
                    where + ": completion | play",
                    completion,
                    completionSquares,
                    plays,
                    truth.expectedCompletionGivenPlay());
        }
    }

    static void assertRate(String what, long hits, long n, double p) {
        assertThat((double) hits / n).as(what).isCloseTo(p, within(fiveSigma(p * (1 - p), n)));
    }

    static void assertMean(String what, double sum, double squares, long n, double expected) {
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        assertThat(mean).as(what).isCloseTo(expected, within(fiveSigma(variance, n)));
    }

    @Test
    void aStreamsLabelRatesMatchTheMeanOfItsGroundTruth() {
        ImpressionGenerator generator = world.impressions(2);
        Impression impression = new Impression();
        int n = 100_000;
        double[] expected = new double[5];
        double[] variance = new double[5];
        double[] observed = new double[5];
        for (int i = 0; i < n; i++) {
            generator.next(impression);
            ActionProbabilities truth = world.groundTruth(impression.user(), impression.context(), impression.video());
            double[] p = {truth.click(), truth.play(), truth.validView(), truth.share(), truth.comment()};
            boolean[] hit = {
                impression.click(), impression.play(), impression.validView(), impression.share(), impression.comment()
            };
            for (int k = 0; k < p.length; k++) {
                expected[k] += p[k];
                variance[k] += p[k] * (1 - p[k]);
                observed[k] += hit[k] ? 1 : 0;
            }
        }
        String[] names = {"click", "play", "valid view", "share", "comment"};
        for (int k = 0; k < names.length; k++) {
            // Given the drawn impressions the labels are independent Bernoulli draws, so their sum
            // has variance Σ p(1 − p).
            assertThat(observed[k]).as(names[k]).isCloseTo(expected[k], within(5 * Math.sqrt(variance[k]) + 1));
        }
    }

    /**
     * What makes VTR and VCR hard to learn together (brief §5): in the explicit-click scenario the
     * valid-view target follows the click and rises with video length, while after an auto-play it
     * follows the same watching behaviour as completion and hardly depends on length.
     */
    @Test
    void theVtrAndVcrTargetsRelateDifferentlyInEachScenario() {
        ImpressionGenerator generator = world.impressions(4);
        Impression impression = new Impression();
        Correlation[] targets = {new Correlation(), new Correlation()};
        Correlation[] lengthEffect = {new Correlation(), new Correlation()};
        for (int i = 0; i < 40_000; i++) {
            generator.next(impression);
            ActionProbabilities truth = world.groundTruth(impression.user(), impression.context(), impression.video());
            int scenario = impression.scenario().ordinal();
            targets[scenario].add(truth.validView(), truth.expectedCompletionGivenPlay());
            lengthEffect[scenario].add(truth.validViewGivenPlay(), Math.log(impression.lengthSeconds()));
        }
        int autoplay = Scenario.AUTOPLAY.ordinal();
        int explicit = Scenario.EXPLICIT_CLICK.ordinal();
        assertThat(targets[autoplay].value()).isGreaterThan(targets[explicit].value() + 0.1);
        assertThat(lengthEffect[explicit].value()).isGreaterThan(lengthEffect[autoplay].value() + 0.2);
    }

    static final class Correlation {
        double n, sx, sy, sxx, syy, sxy;

        void add(double x, double y) {
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }

        double value() {
            return (sxy / n - sx / n * sy / n) / Math.sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
        }
    }

    @Test
    void theGroundTruthIsConsistent() {
        for (int user = 0; user < 50; user++) {
            for (int video = 0; video < 50; video++) {
                Context autoplay = new Context(Scenario.AUTOPLAY, Device.IOS, user % 24);
                Context explicit = new Context(Scenario.EXPLICIT_CLICK, Device.IOS, user % 24);
                ActionProbabilities a = world.groundTruth(user, autoplay, video);
                ActionProbabilities e = world.groundTruth(user, explicit, video);
                assertThat(e.play()).isEqualTo(e.click());
                assertThat(a.play()).isGreaterThanOrEqualTo(a.click());
                for (ActionProbabilities truth : new ActionProbabilities[] {a, e}) {
                    assertThat(truth.validView()).isBetween(0.0, truth.play());
                    assertThat(truth.expectedCompletionGivenPlay()).isBetween(0.0, 1.0);
                    assertThat(truth.expectedWatchSecondsGivenPlay())
                            .isCloseTo(
                                    truth.expectedCompletionGivenPlay() * world.lengthSeconds(video),
                                    within(1e-9 * world.lengthSeconds(video)));
                    assertThat(truth.shareGivenClick()).isBetween(0.0, 1.0);
                    assertThat(truth.commentGivenClick()).isBetween(0.0, 1.0);
                }
            }
        }
    }

    @Test
    void unknownUsersAndVideosAreRejected() {
        Context context = new Context(Scenario.AUTOPLAY, Device.IOS, 0);
        assertThatThrownBy(() -> world.groundTruth(world.users(), context, 0))
                .hasMessage("user must be in 0.." + (world.users() - 1) + ", was " + world.users());
        assertThatThrownBy(() -> world.groundTruth(0, context, -1)).hasMessageStartingWith("video must be in 0..");
        assertThatThrownBy(() -> new Context(Scenario.AUTOPLAY, Device.IOS, 24))
                .hasMessage("hour must be in 0..23, was 24");
    }

    int videoWhere(java.util.function.DoublePredicate length) {
        for (int video = 0; video < world.videos(); video++) {
            if (length.test(world.lengthSeconds(video))) {
                return video;
            }
        }
        throw new AssertionError("no such video in the test world");
    }
}
