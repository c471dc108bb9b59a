package io.fulcrum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImpressionStreamTests {

    static float[][] rows(VideoWorld world, long seed, int count, int batchSize) {
        ImpressionGenerator generator = world.impressions(seed);
        ImpressionBatch batch = new ImpressionBatch(world.columns(), batchSize);
        float[][] rows = new float[count][];
        int done = 0;
        while (done < count) {
            generator.fill(batch, Math.min(batchSize, count - done));
            for (int r = 0; r < batch.size(); r++, done++) {
                rows[done] = row(batch, r);
            }
        }
        return rows;
    }

    static float[] row(ImpressionBatch batch, int r) {
        float[] row = new float[batch.categoricalWidth() + batch.denseWidth() + batch.labelWidth()];
        int at = 0;
        for (int c = 0; c < batch.categoricalWidth(); c++) {
            row[at++] = batch.categorical(r, c);
        }
        for (int c = 0; c < batch.denseWidth(); c++) {
            row[at++] = batch.dense(r, c);
        }
        for (int c = 0; c < batch.labelWidth(); c++) {
            row[at++] = batch.label(r, c);
        }
        return row;
    }

    @Test
    void theSameSpecAndSeedGiveTheSameStreamHoweverItIsBatched() {
        float[][] a = rows(SimulatorFixtures.smallWorld(1), 7, 5_000, 1000);
        float[][] b = rows(SimulatorFixtures.smallWorld(1), 7, 5_000, 37);
        // Arrays.deepEquals, unlike ==, counts NaN (completion ratio without a play) as equal to NaN.
        assertThat(Arrays.deepEquals(a, b)).isTrue();
    }

    @Test
    void anotherSeedGivesAnotherStreamOrAnotherWorld() {
        float[][] base = rows(SimulatorFixtures.smallWorld(1), 7, 1_000, 100);
        float[][] otherStream = rows(SimulatorFixtures.smallWorld(1), 8, 1_000, 100);
        float[][] otherWorld = rows(SimulatorFixtures.smallWorld(2), 7, 1_000, 100);
        assertThat(Arrays.deepEquals(base, otherStream)).isFalse();
        assertThat(Arrays.deepEquals(base, otherWorld)).isFalse();
    }

    @Test
    void theColumnsHaveAFixedDocumentedOrder() {
        ImpressionColumns columns = ImpressionColumns.of(SimulatorFixtures.smallSpec()
                .withPopulation(new VideoWorldSpec.Population(
                        100, 50, 7, 2, null, null, null, null, null, null, null, null, null)));
        assertThat(columns.all().stream().map(Column::name).toList())
                .containsExactly(
                        "user_id",
                        "video_id",
                        "category",
                        "scenario",
                        "device",
                        "hour",
                        "video_length_log",
                        "user_activity",
                        "video_popularity",
                        "user_profile_0",
                        "user_profile_1",
                        "video_profile_0",
                        "video_profile_1",
                        "click",
                        "play",
                        "watch_time",
                        "valid_view",
                        "completion_ratio",
                        "share",
                        "comment");
        assertThat(columns.ofKind(ColumnKind.CATEGORICAL).stream()
                        .map(Column::cardinality)
                        .toList())
                .isEqualTo(List.of(100, 50, 7, 2, 3, 24));
        assertThat(columns.denseCount()).isEqualTo(7);
        assertThat(columns.named("valid_view"))
                .isEqualTo(new Column("valid_view", ColumnKind.LABEL, ImpressionColumns.VALID_VIEW, 0));
        assertThat(columns.named("video_profile_0").index()).isEqualTo(5);
        assertThatThrownBy(() -> columns.named("purchase")).hasMessage("no impression column named purchase");
    }

    @Test
    void theWrittenArraysHoldTheImpressionsValues() {
        VideoWorld world = SimulatorFixtures.smallWorld(4);
        ImpressionColumns columns = world.columns();
        ImpressionGenerator generator = world.impressions(3);
        Impression impression = new Impression();
        float[] dense = new float[columns.denseCount() + 1];
        int[] categorical = new int[columns.categoricalCount() + 1];
        float[] labels = new float[columns.labelCount() + 1];
        boolean sawNoPlay = false;
        for (int i = 0; i < 2_000; i++) {
            generator.next(impression);
            impression.writeDense(dense, 1);
            impression.writeCategorical(categorical, 1);
            impression.writeLabels(labels, 1);
            assertThat(categorical[1 + ImpressionColumns.USER_ID]).isEqualTo(impression.user());
            assertThat(categorical[1 + ImpressionColumns.VIDEO_ID]).isEqualTo(impression.video());
            assertThat(categorical[1 + ImpressionColumns.CATEGORY]).isEqualTo(world.category(impression.video()));
            assertThat(categorical[1 + ImpressionColumns.SCENARIO])
                    .isEqualTo(impression.scenario().ordinal());
            assertThat(categorical[1 + ImpressionColumns.DEVICE])
                    .isEqualTo(impression.device().ordinal());
            assertThat(categorical[1 + ImpressionColumns.HOUR]).isEqualTo(impression.hour());
            assertThat(dense[1 + ImpressionColumns.VIDEO_LENGTH_LOG])
                    .isEqualTo((float) Math.log(impression.lengthSeconds()));
            assertThat(labels[1 + ImpressionColumns.CLICK]).isEqualTo(impression.click() ? 1f : 0f);
            assertThat(labels[1 + ImpressionColumns.PLAY]).isEqualTo(impression.play() ? 1f : 0f);
            assertThat(labels[1 + ImpressionColumns.WATCH_TIME]).isEqualTo((float) impression.watchSeconds());
            assertThat(labels[1 + ImpressionColumns.VALID_VIEW]).isEqualTo(impression.validView() ? 1f : 0f);
            assertThat(labels[1 + ImpressionColumns.SHARE]).isEqualTo(impression.share() ? 1f : 0f);
            assertThat(labels[1 + ImpressionColumns.COMMENT]).isEqualTo(impression.comment() ? 1f : 0f);
            float ratio = labels[1 + ImpressionColumns.COMPLETION_RATIO];
            if (impression.play()) {
                assertThat(ratio).isEqualTo((float) impression.completionRatio());
            } else {
                assertThat(ratio).isNaN();
                sawNoPlay = true;
            }
        }
        assertThat(sawNoPlay).isTrue();
    }

    @Test
    void aUsersProfileIsTheSameInEveryImpressionAndOnlyANoisyViewOfItsTaste() {
        VideoWorld world = SimulatorFixtures.smallWorld(6);
        ImpressionGenerator generator = world.impressions(1);
        Impression impression = new Impression();
        int width = world.columns().denseCount();
        int dimension = world.spec().population().latentDimension();
        float[][] profileByUser = new float[world.users()][];
        float[] dense = new float[width];
        for (int i = 0; i < 20_000; i++) {
            generator.next(impression);
            impression.writeDense(dense, 0);
            float[] profile = Arrays.copyOfRange(
                    dense, ImpressionColumns.FIRST_PROFILE, ImpressionColumns.FIRST_PROFILE + dimension);
            if (profileByUser[impression.user()] == null) {
                profileByUser[impression.user()] = profile;
            } else {
                assertThat(profile).isEqualTo(profileByUser[impression.user()]);
            }
        }
        // Affinity seen through the noisy profiles correlates with the hidden affinity, but far from fully.
        double sxy = 0, sxx = 0, syy = 0, sx = 0, sy = 0;
        int n = 0;
        for (int user = 0; user < 300; user++) {
            for (int video = 0; video < 100; video++) {
                double observed = 0;
                for (int k = 0; k < dimension; k++) {
                    observed += world.userProfile[user * dimension + k] * world.videoProfile[video * dimension + k];
                }
                double hidden = world.affinity(user, video);
                sx += observed;
                sy += hidden;
                sxx += observed * observed;
                syy += hidden * hidden;
                sxy += observed * hidden;
                n++;
            }
        }
        double correlation =
                (sxy / n - sx / n * sy / n) / Math.sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
        assertThat(correlation).isBetween(0.2, 0.8);
    }

    @Test
    void aBatchOfAnotherWorldsShapeIsRefused() {
        VideoWorld world = SimulatorFixtures.smallWorld(1);
        ImpressionBatch wrong = new ImpressionBatch(
                ImpressionColumns.of(SimulatorFixtures.smallSpec()
                        .withPopulation(new VideoWorldSpec.Population(
                                10, 10, null, 3, null, null, null, null, null, null, null, null, null))),
                10);
        assertThatThrownBy(() -> world.impressions(1).fill(wrong))
                .hasMessage("the batch was made for another world's columns");
        assertThatThrownBy(() -> world.impressions(1).fill(new ImpressionBatch(world.columns(), 4), 5))
                .hasMessage("rows must be in 0..4, was 5");
    }
}
