package io.fulcrum.dataset.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImportTests {

    static final List<ColumnSchema> SCHEMA = List.of(
            new ColumnSchema("click", ColumnRole.LABEL),
            new ColumnSchema("ratio", ColumnRole.LABEL),
            new ColumnSchema("age", ColumnRole.DENSE),
            new ColumnSchema("city", ColumnRole.CATEGORICAL),
            new ColumnSchema("note", ColumnRole.IGNORED),
            new ColumnSchema("day", ColumnRole.WEIGHT));

    static final String GOOD = """
            click,ratio,age,city,note,day
            1,0.5,20,paris,x,1
            0,0.25,30,rome,y,1
            1,1.0,,paris,z,2
            0,0.0,50,oslo,w,3
            """;

    @TempDir
    Path dir;

    Path csv(String text) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, text);
        return file;
    }

    ImportReport importFile(String text, SplitSpec split, BadRowPolicy policy) throws IOException {
        return new CsvImport(SCHEMA, CsvFormat.COMMA_WITH_HEADER, split, policy)
                .run(csv(text), dir.resolve("cache"), lines -> {});
    }

    ImportReport importGood(SplitSpec split) throws IOException {
        return importFile(GOOD, split, BadRowPolicy.REJECT);
    }

    static float[] all(FloatBuffer buffer) {
        float[] values = new float[buffer.limit()];
        buffer.get(0, values);
        return values;
    }

    static int[] all(IntBuffer buffer) {
        int[] values = new int[buffer.limit()];
        buffer.get(0, values);
        return values;
    }

    static byte[] all(ByteBuffer buffer) {
        byte[] values = new byte[buffer.limit()];
        buffer.get(0, values);
        return values;
    }

    @Test
    void cacheHoldsTheParsedValues() throws IOException {
        ImportReport report = importGood(SplitSpec.Random.DEFAULT);
        ColumnarCache cache = ColumnarCache.open(dir.resolve("cache"));

        assertThat(report.meta().rows()).isEqualTo(4);
        assertThat(all(cache.floats("click"))).containsExactly(1f, 0f, 1f, 0f);
        assertThat(all(cache.floats("ratio"))).containsExactly(0.5f, 0.25f, 1f, 0f);
        assertThat(all(cache.floats("age"))).containsExactly(20f, 30f, Float.NaN, 50f);
        assertThat(all(cache.ids("city"))).containsExactly(0, 1, 0, 2);
        assertThat(cache.vocabulary("city")).containsExactly("paris", "rome", "oslo");
        assertThat(cache.hasColumn("note")).isFalse();
        assertThat(cache.column("age").missing()).isEqualTo(1);
        assertThat(cache.column("age").mean()).isCloseTo(100.0 / 3, within(1e-9));
    }

    @Test
    void cacheGivesBackExactlyWhatParsingTheTextGives() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int rows = 3000;
        float[] ratios = new float[rows];
        float[] ages = new float[rows];
        String[] cities = new String[rows];
        StringBuilder text = new StringBuilder("click,ratio,age,city,note,day\n");
        for (int r = 0; r < rows; r++) {
            String ratio = Double.toString(random.nextDouble());
            String age = random.nextInt(10) == 0 ? "" : String.format("%.6e", random.nextDouble(-1e4, 1e4));
            cities[r] = "city-" + random.nextInt(50);
            ratios[r] = Float.parseFloat(ratio);
            ages[r] = age.isEmpty() ? Float.NaN : Float.parseFloat(age);
            text.append(r % 2)
                    .append(',')
                    .append(ratio)
                    .append(',')
                    .append(age)
                    .append(',')
                    .append(cities[r])
                    .append(",n,1\n");
        }
        importFile(text.toString(), SplitSpec.Random.DEFAULT, BadRowPolicy.REJECT);
        ColumnarCache cache = ColumnarCache.open(dir.resolve("cache"));

        assertThat(all(cache.floats("ratio"))).containsExactly(ratios);
        assertThat(all(cache.floats("age"))).containsExactly(ages);
        List<String> vocabulary = cache.vocabulary("city");
        int[] ids = all(cache.ids("city"));
        for (int r = 0; r < rows; r++) {
            assertThat(vocabulary.get(ids[r])).isEqualTo(cities[r]);
        }
    }

    @Test
    void randomSplitDependsOnlyOnTheSeed() throws IOException {
        StringBuilder text = new StringBuilder("click,ratio,age,city,note,day\n");
        for (int i = 0; i < 2000; i++) {
            text.append(i % 2)
                    .append(",0.5,")
                    .append(i)
                    .append(",c")
                    .append(i % 7)
                    .append(",n,1\n");
        }
        SplitSpec.Random split = new SplitSpec.Random(7, 0.7, 0.15, 0.15);
        new CsvImport(SCHEMA, CsvFormat.COMMA_WITH_HEADER, split, BadRowPolicy.REJECT)
                .run(csv(text.toString()), dir.resolve("one"), lines -> {});
        new CsvImport(SCHEMA, CsvFormat.COMMA_WITH_HEADER, split, BadRowPolicy.REJECT)
                .run(csv(text.toString()), dir.resolve("two"), lines -> {});
        new CsvImport(
                        SCHEMA,
                        CsvFormat.COMMA_WITH_HEADER,
                        new SplitSpec.Random(8, 0.7, 0.15, 0.15),
                        BadRowPolicy.REJECT)
                .run(csv(text.toString()), dir.resolve("three"), lines -> {});

        byte[] one = all(ColumnarCache.open(dir.resolve("one")).splits());
        byte[] two = all(ColumnarCache.open(dir.resolve("two")).splits());
        byte[] three = all(ColumnarCache.open(dir.resolve("three")).splits());
        long[] rows = ColumnarCache.open(dir.resolve("one")).meta().splitRows();

        assertThat(one).isEqualTo(two).isNotEqualTo(three);
        assertThat(rows[0] / 2000.0).isCloseTo(0.7, within(0.04));
        assertThat(rows[1] / 2000.0).isCloseTo(0.15, within(0.03));
        assertThat(rows[0] + rows[1] + rows[2]).isEqualTo(2000);
    }

    @Test
    void splitsByTheValueOfAColumn() throws IOException {
        importGood(new SplitSpec.ByColumn("day", List.of("1"), List.of("2"), List.of("3")));

        assertThat(all(ColumnarCache.open(dir.resolve("cache")).splits())).containsExactly(0, 0, 1, 2);
    }

    @Test
    void fitsPreprocessingOnTheTrainingSplitOnly() throws IOException {
        importGood(new SplitSpec.ByColumn("day", List.of("1"), List.of("2"), List.of("3")));

        Preprocessing preprocessing = Preprocessing.fit(ColumnarCache.open(dir.resolve("cache")));

        Preprocessing.CategoricalIndex city = preprocessing.categorical().get("city");
        assertThat(city.rows()).as("paris, rome and the out-of-vocabulary row").isEqualTo(3);
        assertThat(city.apply(0)).isEqualTo(1);
        assertThat(city.apply(1)).isEqualTo(2);
        assertThat(city.apply(2)).as("oslo appears in test only").isEqualTo(Preprocessing.OUT_OF_VOCABULARY);
        Preprocessing.DenseScaling age = preprocessing.dense().get("age");
        assertThat(age.mean()).isEqualTo(25.0);
        assertThat(age.std()).isEqualTo(5.0);
        assertThat(age.apply(35f)).isEqualTo(2f);
        assertThat(age.apply(Float.NaN)).isZero();
    }

    @Test
    void profilesColumnsAndLabels() throws IOException {
        importGood(SplitSpec.Random.DEFAULT);

        DatasetProfile profile = DatasetProfile.of(ColumnarCache.open(dir.resolve("cache")));

        assertThat(profile.rows()).isEqualTo(4);
        DatasetProfile.ColumnProfile age = profile.columns().stream()
                .filter(c -> c.name().equals("age"))
                .findFirst()
                .orElseThrow();
        assertThat(age.missingShare()).isEqualTo(0.25);
        assertThat(profile.columns().stream()
                        .filter(c -> c.name().equals("city"))
                        .findFirst()
                        .orElseThrow()
                        .cardinality())
                .isEqualTo(3);
        assertThat(profile.labels())
                .extracting(DatasetProfile.LabelProfile::name)
                .containsExactly("click", "ratio");
        assertThat(profile.labels().get(0).rate()).isEqualTo(0.5);
        assertThat(profile.labels().get(1).rate()).isNull();
        // click = (1,0,1,0), ratio = (.5,.25,1,0): covariance sum 0.625, squares 1 and 0.546875
        assertThat(profile.labelPairs().get(0).correlation()).isCloseTo(0.625 / Math.sqrt(0.546875), within(1e-6));
    }

    @Nested
    class BadLines {

        static Stream<String> badFiles() {
            return Stream.of(
                    "1,0.5,20,paris,x\n", // too few columns
                    "1,0.5,twenty,paris,x,1\n", // unparsable number
                    ",0.5,20,paris,x,1\n", // missing label
                    "yes,0.5,20,paris,x,1\n"); // a label that is not a number
        }

        String withBadLineThree(String bad) {
            return GOOD.replaceFirst("0,0.25,30,rome,y,1\n", bad);
        }

        @Test
        void rejectReportsLineAndColumnAndLeavesNothing() throws IOException {
            assertThatThrownBy(() -> importFile(
                            withBadLineThree("1,0.5,twenty,paris,x,1\n"),
                            SplitSpec.Random.DEFAULT,
                            BadRowPolicy.REJECT))
                    .isInstanceOf(ImportRejectedException.class)
                    .hasMessage("import rejected at line 3, column age: 'twenty' is not a number");

            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).containsExactly(dir.resolve("data.csv"));
            }
        }

        @Test
        void rejectNamesEveryKindOfBadLine() {
            List<String> messages = badFiles()
                    .map(bad -> firstProblemUnderReject(withBadLineThree(bad)))
                    .toList();

            assertThat(messages)
                    .containsExactly(
                            "line 3: has 5 columns, expected 6",
                            "line 3, column age: 'twenty' is not a number",
                            "line 3, column click: the label is missing",
                            "line 3, column click: 'yes' is not a number");
        }

        @Test
        void skipCountsAndReportsTheLinesItLeavesOut() throws IOException {
            String text = GOOD + "1,0.5,20,paris,x\n" + "1,0.5,20,paris,x,1\n" + ",1,1,a,b,1\n";

            ImportReport report = importFile(text, SplitSpec.Random.DEFAULT, BadRowPolicy.skipUpTo(5));

            assertThat(report.meta().rows()).isEqualTo(5);
            assertThat(report.skippedLines()).isEqualTo(2);
            assertThat(report.problems())
                    .extracting(ImportProblem::toString)
                    .containsExactly("line 6: has 5 columns, expected 6", "line 8, column click: the label is missing");
        }

        @Test
        void rejectsANegativeMissingOrNonFiniteWeightWithItsLineAndColumn() throws IOException {
            List<String> messages = Stream.of("-0.5", "", "NaN", "inf", "1e40", "heavy")
                    .map(weight -> firstProblemUnderReject(withBadLineThree("1,0.5,20,paris,x," + weight + "\n")))
                    .toList();

            assertThat(messages)
                    .containsExactly(
                            "line 3, column day: the weight -0.5 is negative",
                            "line 3, column day: the weight is missing (or NaN)",
                            "line 3, column day: the weight is missing (or NaN)",
                            "line 3, column day: 'inf' is not a finite number, as a weight must be",
                            "line 3, column day: '1e40' is not a finite number, as a weight must be",
                            "line 3, column day: 'heavy' is not a finite number, as a weight must be");
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).containsExactly(dir.resolve("data.csv"));
            }
        }

        /** The first problem a REJECT import of {@code text} reports, or "accepted". */
        private String firstProblemUnderReject(String text) {
            try {
                importFile(text, SplitSpec.Random.DEFAULT, BadRowPolicy.REJECT);
                return "accepted";
            } catch (ImportRejectedException e) {
                return e.problems().get(0).toString();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Test
        void skipLeavesOutBadWeightsAndKeepsZeroAndSmallOnes() throws IOException {
            String text = GOOD + "1,0.5,20,paris,x,-2\n" + "0,0.5,20,rome,x,0\n" + "1,0.5,20,oslo,x,0.25\n"
                    + "0,0.5,20,rome,x,Infinity\n";

            ImportReport report = importFile(text, SplitSpec.Random.DEFAULT, BadRowPolicy.skipUpTo(5));

            assertThat(report.meta().rows()).isEqualTo(6);
            assertThat(report.skippedLines()).isEqualTo(2);
            assertThat(report.problems())
                    .extracting(ImportProblem::toString)
                    .containsExactly(
                            "line 6, column day: the weight -2 is negative",
                            "line 9, column day: 'Infinity' is not a finite number, as a weight must be");
            assertThat(all(ColumnarCache.open(dir.resolve("cache")).floats("day")))
                    .containsExactly(1f, 1f, 2f, 3f, 0f, 0.25f);
        }

        @Test
        void skipRejectsPastItsCapAndLeavesNothing() throws IOException {
            String text = GOOD + "1\n2\n3\n";

            assertThatThrownBy(() -> importFile(text, SplitSpec.Random.DEFAULT, BadRowPolicy.skipUpTo(2)))
                    .isInstanceOf(ImportRejectedException.class)
                    .hasMessageStartingWith("import rejected: more than 2 bad lines (the last at line 8");
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).containsExactly(dir.resolve("data.csv"));
            }
        }

        @Test
        void aRowInNoSplitIsABadLine() {
            SplitSpec split = new SplitSpec.ByColumn("day", List.of("1"), List.of("2"), List.of());

            assertThatThrownBy(() -> importGood(split))
                    .isInstanceOf(ImportRejectedException.class)
                    .hasMessage("import rejected at line 5, column day: value '3' belongs to no split");
        }
    }
}
