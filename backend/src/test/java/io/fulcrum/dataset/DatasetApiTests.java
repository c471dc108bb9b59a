package io.fulcrum.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

@FulcrumSpringTest
class DatasetApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${fulcrum.data-dir}")
    Path dataDir;

    @TempDir
    Path tmp;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    MvcTestResult post(String json) {
        return mvc.post()
                .uri("/api/datasets")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    long cacheDirectories() throws IOException {
        Path datasets = dataDir.resolve("datasets");
        if (!Files.isDirectory(datasets)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(datasets)) {
            return dirs.count();
        }
    }

    int storedDatasets() {
        return jdbc.queryForObject("SELECT count(*) FROM dataset", Integer.class);
    }

    @Test
    void importsCensusIncomeByPreset() {
        String name = unique("census");
        String path = SharedData.file("census-income/census-income.test.gz").toString();

        MvcTestResult result = post("""
                {"name": "%s", "kind": "FILE", "file": {"path": "%s", "preset": "census-income"},
                 "split": {"by": "random", "seed": 7, "train": 0.7, "validation": 0.15, "test": 0.15}}""".formatted(name, path));

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.rows").isEqualTo(99_762);
        assertThat(result).bodyJson().extractingPath("$.skippedLines").isEqualTo(0);
        assertThat(result).bodyJson().extractingPath("$.columns[4].role").isEqualTo("IGNORED");
        assertThat(result).bodyJson().extractingPath("$.columns[24].role").isEqualTo("WEIGHT");
        long id = ((Number) JsonPath.read(body(result), "$.id")).longValue();
        long train = ((Number) JsonPath.read(body(result), "$.trainRows")).longValue();
        assertThat(train / 99_762.0).isCloseTo(0.7, within(0.01));

        MvcTestResult profile = mvc.get().uri("/api/datasets/{id}/profile", id).exchange();

        assertThat(profile).hasStatusOk();
        List<Number> income = JsonPath.read(body(profile), "$.labels[?(@.name == 'income')].rate");
        List<Number> neverMarried = JsonPath.read(body(profile), "$.labels[?(@.name == 'never_married')].rate");
        // the census-income test file: 6.2% earn over 50K; 43.4% never married (children included)
        assertThat(income)
                .singleElement()
                .satisfies(rate -> assertThat(rate.doubleValue()).isCloseTo(0.062, within(0.002)));
        assertThat(neverMarried)
                .singleElement()
                .satisfies(rate -> assertThat(rate.doubleValue()).isCloseTo(0.434, within(0.01)));
    }

    @Test
    void importsAliCcpSampleAndServesItsPreview() {
        String path = SharedData.file("ali-ccp-sample/ali_ccp_train_sample.csv").toString();

        MvcTestResult result = post("""
                {"name": "%s", "kind": "FILE", "file": {"path": "%s", "preset": "ali-ccp"}}""".formatted(unique("ali-ccp"), path));

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.rows").isEqualTo(100);
        assertThat(result).bodyJson().extractingPath("$.columns[0].role").isEqualTo("LABEL");
        assertThat(result).bodyJson().extractingPath("$.columns[1].role").isEqualTo("LABEL");
        assertThat(result).bodyJson().extractingPath("$.columns[2].role").isEqualTo("CATEGORICAL");
        assertThat(result).bodyJson().extractingPath("$.columns[25].role").isEqualTo("DENSE");
        long id = ((Number) JsonPath.read(body(result), "$.id")).longValue();

        MvcTestResult preview =
                mvc.get().uri("/api/datasets/{id}/preview?rows=3", id).exchange();

        assertThat(preview).hasStatusOk();
        assertThat(preview).bodyJson().extractingPath("$.rows.length()").isEqualTo(3);
        assertThat(preview).bodyJson().extractingPath("$.columns[0]").isEqualTo("click");
        assertThat(preview).bodyJson().extractingPath("$.rows[0][25]").isEqualTo(0.4734);
    }

    @Test
    void infersTheAliExpressSchemaInAPreview() {
        String path =
                SharedData.file("aliexpress-sample/aliexpress_train_sample.csv").toString();

        MvcTestResult result = mvc.post()
                .uri("/api/datasets/preview?rows=2")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"path\": \"%s\"}".formatted(path))
                .exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.rows.length()").isEqualTo(2);
        List<String> roles = JsonPath.read(body(result), "$.inferredSchema[*].role");
        List<String> names = JsonPath.read(body(result), "$.inferredSchema[*].name");
        assertThat(roles.get(names.indexOf("categorical_1"))).isEqualTo("CATEGORICAL");
        assertThat(roles.get(names.indexOf("numerical_1"))).isEqualTo("DENSE");
        assertThat(roles.get(names.indexOf("click"))).isEqualTo("LABEL");
        assertThat(roles.get(names.indexOf("conversion"))).isEqualTo("LABEL");
    }

    @Test
    void importsAnUploadedFile() throws IOException {
        byte[] csv = "click,price,shop\n1,3.5,a\n0,1.0,b\n1,2.0,a\n0,4.0,c\n".getBytes(StandardCharsets.UTF_8);

        MvcTestResult upload = mvc.perform(MockMvcRequestBuilders.multipart("/api/datasets/uploads")
                .file(new MockMultipartFile("file", "shop.csv", "text/csv", csv)));

        assertThat(upload).hasStatus(HttpStatus.CREATED);
        String uploadId = JsonPath.read(body(upload), "$.uploadId");
        MvcTestResult created = post("""
                {"name": "%s", "kind": "FILE", "file": {"uploadId": "%s"},
                 "split": {"by": "random", "seed": 1, "train": 0.5, "validation": 0, "test": 0.5}}""".formatted(unique("shop"), uploadId));

        assertThat(created).hasStatus(HttpStatus.CREATED);
        assertThat(created).bodyJson().extractingPath("$.rows").isEqualTo(4);
        assertThat(created)
                .bodyJson()
                .extractingPath("$.columns[*].role")
                .isEqualTo(List.of("LABEL", "DENSE", "CATEGORICAL"));
    }

    @Test
    void generatesAVideoSimulatorDataset() {
        MvcTestResult result = post("""
                {"name": "%s", "kind": "VIDEO_SIMULATOR",
                 "spec": {"impressions": 5000, "worldSeed": 3, "streamSeed": 4,
                          "world": {"population": {"users": 300, "videos": 100}}}}""".formatted(unique("video")));

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.rows").isEqualTo(5000);
        assertThat(result).bodyJson().extractingPath("$.source.worldSeed").isEqualTo(3);
        List<String> labels = JsonPath.read(body(result), "$.columns[?(@.role == 'LABEL')].name");
        assertThat(labels)
                .containsExactly("click", "play", "watch_time", "valid_view", "completion_ratio", "share", "comment");
        long id = ((Number) JsonPath.read(body(result), "$.id")).longValue();

        MvcTestResult profile = mvc.get().uri("/api/datasets/{id}/profile", id).exchange();

        List<Boolean> binary = JsonPath.read(body(profile), "$.labels[?(@.name == 'valid_view')].binary");
        List<Number> missing = JsonPath.read(body(profile), "$.columns[?(@.name == 'completion_ratio')].missingShare");
        List<Number> shareGivenClick =
                JsonPath.read(body(profile), "$.labelPairs[?(@.a == 'click' && @.b == 'share')].rateOfBGivenA");
        List<Number> clickGivenShare =
                JsonPath.read(body(profile), "$.labelPairs[?(@.a == 'click' && @.b == 'share')].positiveOverlap");
        assertThat(binary).containsExactly(true);
        assertThat(missing.get(0).doubleValue())
                .as("no play, no completion ratio")
                .isBetween(0.2, 0.8);
        assertThat(shareGivenClick.get(0).doubleValue()).isBetween(0.0, 0.2);
        assertThat(clickGivenShare.get(0).doubleValue())
                .isLessThan(shareGivenClick.get(0).doubleValue() + 1e-9);
        List<Number> truthAgreement = JsonPath.read(
                body(profile),
                "$.taskConflict[?(@.a == 'valid_view' && @.b == 'completion_ratio')].sessionCorrelation");
        assertThat(truthAgreement.get(0).doubleValue()).isBetween(0.0, 1.0);
        assertThat(JsonPath.<List<?>>read(body(profile), "$.taskConflict")).hasSize(10);
    }

    @Test
    void profilesTheTaskConflictOfTheWorldNotOfItsDraw() {
        long today = simulated(unique("agreeing"), "");
        long opposed = simulated(unique("opposed"), ", \"conflict\": {\"taskCorrelation\": -0.5}");

        assertThat(sessionCorrelation(opposed)).isLessThan(sessionCorrelation(today) - 0.1);
    }

    private long simulated(String name, String conflict) {
        MvcTestResult result = post("""
                {"name": "%s", "kind": "VIDEO_SIMULATOR",
                 "spec": {"impressions": 2000, "worldSeed": 3, "streamSeed": 4,
                          "world": {"population": {"users": 2000, "videos": 500}%s}}}""".formatted(name, conflict));
        assertThat(result).hasStatus(HttpStatus.CREATED);
        return ((Number) JsonPath.read(body(result), "$.id")).longValue();
    }

    private double sessionCorrelation(long dataset) {
        MvcTestResult profile =
                mvc.get().uri("/api/datasets/{id}/profile", dataset).exchange();
        List<Number> values = JsonPath.read(
                body(profile),
                "$.taskConflict[?(@.a == 'valid_view' && @.b == 'completion_ratio')].sessionCorrelation");
        return values.get(0).doubleValue();
    }

    @Test
    void generatesASyntheticDataset() {
        MvcTestResult result = post("""
                {"name": "%s", "kind": "SYNTHETIC", "spec": {"correlation": 0.5, "samples": 3000, "dimension": 16, "seed": 7}}""".formatted(unique("syn-0.5")));

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.id").isNotNull();
        assertThat(result).bodyJson().extractingPath("$.rows").isEqualTo(3000);
        assertThat(result).bodyJson().extractingPath("$.source.noiseStd").isEqualTo(0.1);
        assertThat(result).bodyJson().extractingPath("$.columns.length()").isEqualTo(18);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.columns[16]")
                .isEqualTo(Map.of("name", "y1", "role", "LABEL", "positiveValues", List.of()));
        long id = ((Number) JsonPath.read(body(result), "$.id")).longValue();

        Number correlation = JsonPath.read(
                body(mvc.get().uri("/api/datasets/{id}/profile", id).exchange()), "$.labelPairs[0].correlation");

        // the sine terms bend the labels, so they correlate less than their weight vectors' p = 0.5
        assertThat(correlation.doubleValue()).isBetween(0.05, 0.6);
    }

    @Test
    void importsInTheBackgroundWithProgress() throws Exception {
        Path file = tmp.resolve("background.csv");
        StringBuilder text = new StringBuilder("y,x,c\n");
        for (int i = 0; i < 5000; i++) {
            text.append(i % 2)
                    .append(',')
                    .append(i * 0.5)
                    .append(",k")
                    .append(i % 13)
                    .append('\n');
        }
        Files.writeString(file, text);

        MvcTestResult started = mvc.post()
                .uri("/api/dataset-imports")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"%s\", \"kind\": \"FILE\", \"file\": {\"path\": \"%s\"}}"
                        .formatted(unique("background"), file))
                .exchange();

        assertThat(started).hasStatus(HttpStatus.ACCEPTED);
        String jobId = JsonPath.read(body(started), "$.id");
        String state = "RUNNING";
        MvcTestResult job = null;
        for (int i = 0; i < 200 && state.equals("RUNNING"); i++) {
            Thread.sleep(50);
            job = mvc.get().uri("/api/dataset-imports/{id}", jobId).exchange();
            state = JsonPath.read(body(job), "$.state");
        }
        assertThat(state).isEqualTo("SUCCEEDED");
        assertThat(job).bodyJson().extractingPath("$.progress").isEqualTo(1.0);
        assertThat(job).bodyJson().extractingPath("$.bytesRead").isEqualTo((int) Files.size(file));
        Number datasetId = JsonPath.read(body(job), "$.datasetId");
        assertThat(mvc.get().uri("/api/datasets/{id}", datasetId.longValue()))
                .bodyJson()
                .extractingPath("$.rows")
                .isEqualTo(5000);
    }

    @Test
    void refusesABadBackgroundImportAtOnce() {
        MvcTestResult result = mvc.post()
                .uri("/api/dataset-imports")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"\", \"kind\": \"FILE\"}")
                .exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.errors[*].field").isEqualTo(List.of("name", "file"));
    }

    @Test
    void deletesADatasetWithItsCache() throws IOException {
        Path file = tmp.resolve("small.csv");
        Files.writeString(file, "y,x\n1,2\n0,3\n1,4\n");
        MvcTestResult created = post("""
                {"name": "%s", "kind": "FILE", "file": {"path": "%s"}}""".formatted(unique("small"), file));
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        long caches = cacheDirectories();

        assertThat(mvc.delete().uri("/api/datasets/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);

        assertThat(mvc.get().uri("/api/datasets/{id}", id)).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(cacheDirectories()).isEqualTo(caches - 1);
    }

    @Nested
    class RejectingBadInput {

        // Given explicitly: inference would call a column holding "cheap" categorical.
        static final String PRICE_COLUMNS =
                ", \"columns\": [{\"name\": \"click\", \"role\": \"LABEL\"}, {\"name\": \"price\", \"role\": \"DENSE\"}]";

        MvcTestResult rejected(String json) throws IOException {
            int datasets = storedDatasets();
            long caches = cacheDirectories();
            MvcTestResult result = post(json);
            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(storedDatasets()).as("no dataset registered").isEqualTo(datasets);
            assertThat(cacheDirectories()).as("no cache left behind").isEqualTo(caches);
            return result;
        }

        List<String> fields(MvcTestResult result) {
            return JsonPath.read(body(result), "$.errors[*].field");
        }

        List<String> rules(MvcTestResult result) {
            return JsonPath.read(body(result), "$.errors[*].rule");
        }

        @Test
        void everyBrokenRuleOfTheRequest() throws IOException {
            MvcTestResult result = rejected("""
                    {"name": "", "kind": "FILE", "file": {"path": "/no/such/file.csv", "preset": "kaggle", "delimiter": ";;"},
                     "columns": [{"name": "a", "role": "FEATURE"}, {"name": "a", "role": "DENSE", "positiveValues": ["x"]}],
                     "split": {"by": "random", "train": 1.5}, "badRows": {"policy": "IGNORE"}}""");

            assertThat(fields(result))
                    .containsExactlyInAnyOrder(
                            "name",
                            "file.path",
                            "file.preset",
                            "file.delimiter",
                            "columns[0].role",
                            "columns[1].name",
                            "columns[1].positiveValues",
                            "columns",
                            "split.train",
                            "badRows.policy");
        }

        @Test
        void aSecondWeightColumn() throws IOException {
            Path file = tmp.resolve("two-weights.csv");
            Files.writeString(file, "y,w1,w2\n1,1,2\n0,1,2\n");
            MvcTestResult result = rejected("""
                    {"name": "%s", "kind": "FILE", "file": {"path": "%s"},
                     "columns": [{"name": "y", "role": "LABEL"}, {"name": "w1", "role": "WEIGHT"},
                                 {"name": "w2", "role": "WEIGHT"}]}""".formatted(unique("weights"), file));

            assertThat(fields(result)).containsExactly("columns[2].role");
            assertThat(rules(result)).containsExactly("one-weight");
        }

        @Test
        void aBadWeightWithItsLineAndColumn() throws IOException {
            Path file = tmp.resolve("bad-weight.csv");
            Files.writeString(file, "y,x,w\n1,1,2\n0,1,-3\n");
            MvcTestResult result = rejected("""
                    {"name": "%s", "kind": "FILE", "file": {"path": "%s"},
                     "columns": [{"name": "y", "role": "LABEL"}, {"name": "x", "role": "DENSE"},
                                 {"name": "w", "role": "WEIGHT"}]}""".formatted(unique("weights"), file));

            assertThat(JsonPath.<List<String>>read(body(result), "$.errors[*].message"))
                    .contains("line 3, column w: the weight -3 is negative");
        }

        @Test
        void aSimulatorSpecThatBreaksARule() throws IOException {
            MvcTestResult result = rejected("""
                    {"name": "bad world", "kind": "VIDEO_SIMULATOR",
                     "spec": {"impressions": 0, "world": {"population": {"users": 0}}}}""");

            assertThat(fields(result)).containsExactly("spec");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[0].message")
                    .asString()
                    .contains("population.users");
        }

        @Test
        void aConflictKnobOutOfRange() throws IOException {
            MvcTestResult result = rejected("""
                    {"name": "bad conflict", "kind": "VIDEO_SIMULATOR",
                     "spec": {"impressions": 1000, "world": {"conflict": {"taskCorrelation": -1.5}}}}""");

            assertThat(fields(result)).containsExactly("spec");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[0].message")
                    .asString()
                    .contains("conflict.taskCorrelation must be in [-1.0, 1.0], was -1.5");
        }

        @Test
        void aSyntheticSpecOutOfRange() throws IOException {
            MvcTestResult result = rejected("""
                    {"name": "bad synthetic", "kind": "SYNTHETIC", "spec": {"correlation": 2, "dimension": 1}}""");

            assertThat(fields(result)).containsExactly("spec.correlation", "spec.samples", "spec.dimension");
        }

        @Test
        void tooManyImpressions() throws IOException {
            MvcTestResult result = rejected("""
                    {"name": "huge", "kind": "VIDEO_SIMULATOR", "spec": {"impressions": 1000000000000}}""");

            assertThat(fields(result)).containsExactly("spec.impressions");
        }

        @Test
        void aKindThatIsNotAvailable() throws IOException {
            MvcTestResult result = rejected("{\"name\": \"x\", \"kind\": \"SPREADSHEET\"}");

            assertThat(fields(result)).contains("kind");
            assertThat(rules(result)).contains("one-of");
        }

        @Test
        void badLinesUnderRejectNameLineAndColumn() throws IOException {
            Path file = tmp.resolve("bad.csv");
            Files.writeString(file, "click,price\n1,2.0\n0,cheap\n1,3.0\n");

            MvcTestResult result = rejected("""
                    {"name": "%s", "kind": "FILE", "file": {"path": "%s"}%s}""".formatted(unique("bad"), file, PRICE_COLUMNS));

            assertThat(rules(result)).containsExactly("importable", "parsable-line");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[1].message")
                    .isEqualTo("line 3, column price: 'cheap' is not a number");
        }

        @Test
        void tooManyBadLinesUnderSkip() throws IOException {
            Path file = tmp.resolve("bad.csv");
            Files.writeString(file, "click,price\n1,2.0\n0,cheap\n,3.0\n1,4,5\n1,1.0\n");

            MvcTestResult result = rejected("""
                    {"name": "%s", "kind": "FILE", "file": {"path": "%s"}, "badRows": {"policy": "SKIP", "maxSkipped": 2}%s}""".formatted(unique("bad"), file, PRICE_COLUMNS));

            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[0].message")
                    .asString()
                    .startsWith("import rejected: more than 2 bad lines");
            assertThat(result).bodyJson().extractingPath("$.errors.length()").isEqualTo(4);
        }

        @Test
        void skippedLinesAreReportedWhenUnderTheCap() throws IOException {
            Path file = tmp.resolve("some-bad.csv");
            Files.writeString(file, "click,price\n1,2.0\n0,cheap\n1,3.0\n0,1.0\n");

            MvcTestResult result = post("""
                    {"name": "%s", "kind": "FILE", "file": {"path": "%s"}, "badRows": {"policy": "SKIP", "maxSkipped": 5}%s}""".formatted(unique("some-bad"), file, PRICE_COLUMNS));

            assertThat(result).hasStatus(HttpStatus.CREATED);
            assertThat(result).bodyJson().extractingPath("$.rows").isEqualTo(3);
            assertThat(result).bodyJson().extractingPath("$.skippedLines").isEqualTo(1);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.importProblems[0]")
                    .isEqualTo(java.util.Map.of("line", 3, "column", "price", "message", "'cheap' is not a number"));
        }

        @Test
        void duplicateNameIsAConflict() throws IOException {
            Path file = tmp.resolve("twice.csv");
            Files.writeString(file, "y,x\n1,2\n0,3\n");
            String json = "{\"name\": \"%s\", \"kind\": \"FILE\", \"file\": {\"path\": \"%s\"}}"
                    .formatted(unique("twice"), file);
            assertThat(post(json)).hasStatus(HttpStatus.CREATED);
            long caches = cacheDirectories();

            String sameNameOtherCase = json.replaceFirst("twice-", "TWICE-");
            assertThat(post(sameNameOtherCase)).hasStatus(HttpStatus.CONFLICT);
            assertThat(cacheDirectories()).isEqualTo(caches);
        }
    }
}
