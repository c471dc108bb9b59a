package io.fulcrum.dataset.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.model.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSplitsTests {

    static final List<ColumnSchema> SCHEMA = List.of(
            new ColumnSchema("click", ColumnRole.LABEL),
            new ColumnSchema("buy", ColumnRole.LABEL),
            new ColumnSchema("ratio", ColumnRole.LABEL),
            new ColumnSchema("age", ColumnRole.DENSE),
            new ColumnSchema("city", ColumnRole.CATEGORICAL),
            new ColumnSchema("day", ColumnRole.IGNORED));

    @TempDir
    Path dir;

    ColumnarCache cache() throws IOException {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, """
                click,buy,ratio,age,city,day
                1,1,0.5,20,paris,1
                0,0,0.1,30,rome,1
                1,0,1.0,,paris,2
                0,0,0.2,50,oslo,3
                """);
        new CsvImport(
                        SCHEMA,
                        CsvFormat.COMMA_WITH_HEADER,
                        new SplitSpec.ByColumn("day", List.of("1"), List.of("2"), List.of("3")),
                        BadRowPolicy.REJECT)
                .run(csv, dir.resolve("cache"), bytes -> {});
        return ColumnarCache.open(dir.resolve("cache"));
    }

    TrainingSplits load(ColumnarCache cache) throws IOException {
        return TrainingSplits.load(
                cache,
                Preprocessing.fit(cache),
                List.of(
                        new TrainingSplits.TaskColumns("ctr", TaskType.BINARY, "click", null),
                        new TrainingSplits.TaskColumns("cvr", TaskType.BINARY, "buy", "click"),
                        new TrainingSplits.TaskColumns("vcr", TaskType.REGRESSION, "ratio", null)),
                16);
    }

    @Test
    void encodesEachSplitWithTheTrainingPreprocessing() throws IOException {
        TrainingSplits splits = load(cache());

        assertThat(splits.train().size()).isEqualTo(2);
        assertThat(splits.validation().size()).isEqualTo(1);
        assertThat(splits.test().size()).isEqualTo(1);
        assertThat(splits.inputs().dense()).containsExactly("age");
        assertThat(splits.inputs().categorical()).singleElement().satisfies(city -> {
            assertThat(city.name()).isEqualTo("city");
            assertThat(city.vocabularySize())
                    .as("paris and rome, seen in training")
                    .isEqualTo(2);
        });
        // train ages 20 and 30: mean 25, std 5
        assertThat(splits.train().dense()).containsExactly(-1f, 1f);
        assertThat(splits.validation().dense())
                .as("a missing age becomes the mean")
                .containsExactly(0f);
        assertThat(splits.test().dense()).containsExactly(5f);
        assertThat(splits.train().categorical()).containsExactly(1L, 2L);
        assertThat(splits.test().categorical()).as("oslo is unseen in training").containsExactly(0L);
    }

    @Test
    void masksSamplesOutsideEachTasksSpace() throws IOException {
        MtlDataset train = load(cache()).train();

        // rows: (click 1, buy 1, ratio .5) and (click 0, buy 0, ratio .1): buy counts after a click only
        assertThat(train.labels()).containsExactly(1f, 1f, 0.5f, 0f, 0f, 0.1f);
        assertThat(train.mask()).containsExactly(1f, 1f, 1f, 1f, 0f, 1f);
    }

    @Test
    void aMissingLabelLeavesTheSampleOutOfTheSpace() throws IOException {
        float[][] rows = {{1f, 0.5f, 3f}, {0f, Float.NaN, 4f}};
        GeneratedRows source = new GeneratedRows() {
            int next;

            @Override
            public List<ColumnSchema> schema() {
                return List.of(
                        new ColumnSchema("play", ColumnRole.LABEL),
                        new ColumnSchema("completion", ColumnRole.LABEL),
                        new ColumnSchema("length", ColumnRole.DENSE));
            }

            @Override
            public long rows() {
                return rows.length;
            }

            @Override
            public void next(float[] numbers, String[] categories) {
                System.arraycopy(rows[next++], 0, numbers, 0, 3);
            }
        };
        GeneratedImport.run(source, new SplitSpec.Random(1, 1, 0, 0), dir.resolve("generated"));
        ColumnarCache cache = ColumnarCache.open(dir.resolve("generated"));

        MtlDataset train = TrainingSplits.load(
                        cache,
                        Preprocessing.fit(cache),
                        List.of(new TrainingSplits.TaskColumns("vcr", TaskType.REGRESSION, "completion", null)),
                        16)
                .train();

        assertThat(train.labels()).containsExactly(0.5f, 0f);
        assertThat(train.mask()).containsExactly(1f, 0f);
    }

    @Test
    void keepsTheTransformForServing() throws IOException {
        TrainingSplits splits = load(cache());

        assertThat(splits.preprocessing().means()).containsExactly(25.0);
        assertThat(splits.preprocessing().stds()).containsExactly(5.0);
        assertThat(splits.preprocessing().vocabularies().get(0).values())
                .as("vocabulary ids of paris and rome, in embedding-row order")
                .containsExactly(0L, 1L);
    }

    @Test
    void refusesALabelThatIsNotANumericColumn() throws IOException {
        ColumnarCache cache = cache();

        assertThatThrownBy(() -> TrainingSplits.load(
                        cache,
                        Preprocessing.fit(cache),
                        List.of(new TrainingSplits.TaskColumns("t", TaskType.BINARY, "city", null)),
                        16))
                .hasMessage("tasks[0].labelColumn: 'city' is not a numeric column of the dataset");
    }

    ColumnarCache weightedCache(String name, ColumnRole weightRole) throws IOException {
        Path csv = dir.resolve("weighted.csv");
        Files.writeString(csv, """
                click,age,w,day
                1,20,0.25,1
                0,30,0,1
                1,40,3,1
                0,50,1.5,2
                1,60,2,3
                """);
        new CsvImport(
                        List.of(
                                new ColumnSchema("click", ColumnRole.LABEL),
                                new ColumnSchema("age", ColumnRole.DENSE),
                                new ColumnSchema("w", weightRole),
                                new ColumnSchema("day", ColumnRole.IGNORED)),
                        CsvFormat.COMMA_WITH_HEADER,
                        new SplitSpec.ByColumn("day", List.of("1"), List.of("2"), List.of("3")),
                        BadRowPolicy.REJECT)
                .run(csv, dir.resolve(name), bytes -> {});
        return ColumnarCache.open(dir.resolve(name));
    }

    static TrainingSplits loadClick(ColumnarCache cache, boolean sampleWeights) throws IOException {
        return TrainingSplits.load(
                cache,
                Preprocessing.fit(cache),
                List.of(new TrainingSplits.TaskColumns("ctr", TaskType.BINARY, "click", null)),
                16,
                sampleWeights);
    }

    @Test
    void theWeightColumnReachesTheTrainingBatchesAndNeverTheInputs() throws IOException {
        TrainingSplits splits = loadClick(weightedCache("cache", ColumnRole.WEIGHT), true);

        assertThat(splits.inputs().dense()).containsExactly("age");
        assertThat(splits.train().weights()).containsExactly(0.25f, 0f, 3f);
        assertThat(splits.validation().weights()).containsExactly(1.5f);
        assertThat(splits.test().weights()).containsExactly(2f);
        float[] batch = new float[2];
        splits.train().gather(new int[] {2, 0}, 0, 2, new float[2], new long[0], new float[2], new float[2], batch);
        assertThat(batch).containsExactly(3f, 0.25f);
    }

    @Test
    void withWeightsOffTheSplitsEqualThoseOfTheSameFileWithoutAWeightColumn() throws IOException {
        TrainingSplits off = loadClick(weightedCache("weighted", ColumnRole.WEIGHT), false);
        TrainingSplits none = loadClick(weightedCache("plain", ColumnRole.IGNORED), false);

        assertThat(off.inputs()).isEqualTo(none.inputs());
        assertThat(off.preprocessing().means()).isEqualTo(none.preprocessing().means());
        for (MtlDataset[] pair : List.of(
                new MtlDataset[] {off.train(), none.train()},
                new MtlDataset[] {off.validation(), none.validation()},
                new MtlDataset[] {off.test(), none.test()})) {
            assertThat(pair[0].weighted()).isFalse();
            assertThat(pair[0].dense()).containsExactly(pair[1].dense());
            assertThat(pair[0].labels()).containsExactly(pair[1].labels());
            assertThat(pair[0].mask()).containsExactly(pair[1].mask());
        }
    }

    @Test
    void refusesSampleWeightsWithoutAWeightColumn() throws IOException {
        ColumnarCache plain = weightedCache("plain", ColumnRole.DENSE);

        assertThatThrownBy(() -> loadClick(plain, true))
                .hasMessage("sampleWeights: the dataset has no WEIGHT column to weigh samples by");
    }
}
