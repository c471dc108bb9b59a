package io.fulcrum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The knobs of VideoWorldSpec.Conflict: the default world is today's, and each knob pulls the tasks apart. */
class ConflictKnobsTests {

    private static VideoWorldSpec spec(VideoWorldSpec.Conflict conflict) {
        return VideoWorldSpec.defaults()
                .withPopulation(VideoWorldSpec.Population.ofSize(3_000, 800))
                .withConflict(conflict);
    }

    /** CRC-32 of 20,000 impressions' features and labels, as the world wrote them. */
    private static long fingerprint(VideoWorld world) {
        ImpressionColumns columns = world.columns();
        ImpressionGenerator stream = world.impressions(5);
        float[] dense = new float[columns.denseCount()];
        int[] categorical = new int[columns.categoricalCount()];
        float[] labels = new float[columns.labelCount()];
        ByteBuffer bytes = ByteBuffer.allocate(4 * (dense.length + categorical.length + labels.length));
        CRC32 crc = new CRC32();
        Impression impression = new Impression();
        for (int i = 0; i < 20_000; i++) {
            stream.next(impression);
            impression.writeDense(dense, 0);
            impression.writeCategorical(categorical, 0);
            impression.writeLabels(labels, 0);
            bytes.clear();
            for (float f : dense) {
                bytes.putFloat(f);
            }
            for (int c : categorical) {
                bytes.putInt(c);
            }
            for (float f : labels) {
                bytes.putFloat(f);
            }
            crc.update(bytes.array());
        }
        return crc.getValue();
    }

    @Test
    void theDefaultKnobsDrawTheImpressionsAndTruthOfTheWorldBeforeThem() {
        // both figures were taken with the code before the knobs existed (commit 7ebb320)
        VideoWorld world = VideoWorld.build(spec(null), 17);
        assertThat(Long.toHexString(fingerprint(world))).isEqualTo("f1df4161");
        ActionProbabilities truth = world.groundTruth(3, new Context(Scenario.AUTOPLAY, Device.values()[0], 20), 7);
        assertThat(truth.click()).isEqualTo(0.0025791884251952545);
        assertThat(truth.play()).isEqualTo(0.7865253248602453);
        assertThat(truth.validView()).isEqualTo(0.019469049918850654);
        assertThat(truth.expectedCompletionGivenPlay()).isEqualTo(0.09359322731268159);
        assertThat(world.columns().denseCount()).isEqualTo(3 + 2 * 8);
        assertThat(VideoWorldSpec.defaults().conflict().isNone()).isTrue();
    }

    /** Over the triples of one seeded draw: Pearson correlation of the click and the completion logits. */
    private static double clickCompletionCorrelation(VideoWorld world) {
        SimulationRandom random = new SimulationRandom(99, 1);
        int n = 4_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            ActionProbabilities truth =
                    world.groundTruth(world.sampleUser(random), world.sampleContext(random), world.sampleVideo(random));
            x[i] = logit(truth.click());
            y[i] = logit(truth.expectedCompletionGivenPlay());
        }
        return pearson(x, y);
    }

    @Test
    void aLowerTaskCorrelationDecouplesClickingFromFinishing() {
        double one = clickCompletionCorrelation(VideoWorld.build(spec(null), 3));
        double zero = clickCompletionCorrelation(
                VideoWorld.build(spec(new VideoWorldSpec.Conflict(0.0, null, null, null)), 3));
        double negative = clickCompletionCorrelation(
                VideoWorld.build(spec(new VideoWorldSpec.Conflict(-0.5, null, null, null)), 3));
        assertThat(one).isGreaterThan(zero + 0.1);
        assertThat(zero).isGreaterThan(negative);
        assertThat(negative).isLessThan(0.1);
    }

    @Test
    void clickbaitRaisesClicksAndLowersFinishingOfTheSameVideoAndIsSeenOnlyThroughAWeakFeature() {
        VideoWorld plain = VideoWorld.build(spec(null), 5);
        VideoWorld baited = VideoWorld.build(spec(new VideoWorldSpec.Conflict(null, 1.5, null, null)), 5);
        SimulationRandom random = new SimulationRandom(7, 1);
        int n = 2_000;
        double[] clicks = new double[n];
        double[] finishing = new double[n];
        for (int i = 0; i < n; i++) {
            int user = plain.sampleUser(random);
            int video = plain.sampleVideo(random);
            Context context = explicitClick(plain.sampleContext(random));
            ActionProbabilities a = plain.groundTruth(user, context, video);
            ActionProbabilities b = baited.groundTruth(user, context, video);
            clicks[i] = logit(b.click()) - logit(a.click());
            finishing[i] = b.expectedCompletionGivenPlay() - a.expectedCompletionGivenPlay();
        }
        // the click logit moves by exactly κ·b; completion moves against it, bar the shortest videos,
        // where a passive play (which a lower commit logit makes likelier) finishes more often
        assertThat(java.util.Arrays.stream(clicks)
                        .filter(d -> Math.abs(d) > 1e-9)
                        .count())
                .isGreaterThan(n - 10);
        assertThat(pearson(clicks, finishing)).isLessThan(-0.5);
        ImpressionColumns columns = baited.columns();
        assertThat(columns.named(ImpressionColumns.CLICKBAIT_SIGNAL).kind()).isEqualTo(ColumnKind.DENSE);
        assertThat(columns.denseCount()).isEqualTo(plain.columns().denseCount() + 1);
    }

    @Test
    void segmentUsersClickLongNovelVideosMoreAndFinishThemLess() {
        VideoWorld plain = VideoWorld.build(spec(null), 9);
        VideoWorld everyone = VideoWorld.build(
                spec(new VideoWorldSpec.Conflict(null, null, null, new VideoWorldSpec.Segments(1.0, 1.0))), 9);
        SimulationRandom random = new SimulationRandom(11, 1);
        for (int i = 0; i < 500; i++) {
            int user = plain.sampleUser(random);
            int video = plain.sampleVideo(random);
            Context context = explicitClick(plain.sampleContext(random));
            double clicks = logit(everyone.groundTruth(user, context, video).click())
                    - logit(plain.groundTruth(user, context, video).click());
            double finishing = everyone.groundTruth(user, context, video).expectedCompletionGivenPlay()
                    - plain.groundTruth(user, context, video).expectedCompletionGivenPlay();
            assertThat(Math.signum(finishing)).as("triple %d", i).isNotEqualTo(Math.signum(clicks));
        }
        // a share of 0 is no segment at all
        VideoWorld none = VideoWorld.build(
                spec(new VideoWorldSpec.Conflict(null, null, null, new VideoWorldSpec.Segments(0.0, 3.0))), 9);
        assertThat(fingerprint(none)).isEqualTo(fingerprint(plain));
    }

    @Test
    void badKnobsAreRefusedWithTheirNamesAndJsonNamesThem() {
        assertThatThrownBy(() -> new VideoWorldSpec.Conflict(1.5, null, null, null))
                .hasMessage("conflict.taskCorrelation must be in [-1.0, 1.0], was 1.5");
        assertThatThrownBy(() -> new VideoWorldSpec.Conflict(null, -0.1, null, null))
                .hasMessageStartingWith("conflict.clickbait must be in");
        assertThatThrownBy(() -> new VideoWorldSpec.Segments(1.2, null))
                .hasMessage("conflict.segments.share must be in [0.0, 1.0], was 1.2");
        VideoWorldSpec parsed = JsonMapper.builder()
                .build()
                .readValue(
                        "{\"conflict\": {\"taskCorrelation\": -0.5, \"segments\": {\"share\": 0.3}}}",
                        VideoWorldSpec.class);
        assertThat(parsed.conflict().taskCorrelation()).isEqualTo(-0.5);
        assertThat(parsed.conflict().segments().share()).isEqualTo(0.3);
        assertThat(parsed.conflict().clickbait()).isZero();
        assertThat(parsed.conflict().isNone()).isFalse();
    }

    /**
     * The context with an explicit click, where every play follows a click: there a clicked play's
     * completion moves only with the commit and finish logits (under auto-play, more clicks also mean
     * more committed plays, which finish more).
     */
    private static Context explicitClick(Context context) {
        return new Context(Scenario.EXPLICIT_CLICK, context.device(), context.hour());
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double pearson(double[] x, double[] y) {
        return TaskConflict.pearson(x, y);
    }
}
