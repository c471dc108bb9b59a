package io.fulcrum.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.fulcrum.SpringTestApplication;
import io.fulcrum.TestSecurity;
import io.fulcrum.experiment.ExperimentFixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random and malformed JSON against the main create endpoints: every answer must be a 4xx problem
 * detail (never a 5xx, never an exception escaping the application) and the database must hold no
 * new row afterwards. Each template carries one poison value that makes the request invalid whatever
 * the mutations do elsewhere, so that every mutated field still runs through its validation.
 *
 * <p>jqwik does not run JUnit Jupiter extensions: MockMvc comes from the test JVM's shared Spring
 * context through {@link SpringTestApplication}. Requests act as the admin (serving endpoints: as a
 * serving token), like every other MockMvc test.
 */
class HostileJsonProperties {

    private static final int TRIES = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ApplicationContext context;
    private static String runTemplate;
    private static String studyTemplate;

    private Map<String, Long> rowsBefore;

    private static synchronized ApplicationContext context() {
        if (context == null) {
            context = SpringTestApplication.context();
            ExperimentFixtures fixtures = new ExperimentFixtures(MockMvcTester.create(context.getBean(MockMvc.class)));
            long taskGroup = fixtures.taskGroup();
            long dataset = fixtures.dataset();
            runTemplate = RUN.formatted(taskGroup, dataset);
            studyTemplate = STUDY.formatted(taskGroup, dataset);
        }
        return context;
    }

    @BeforeProperty
    void countRows() {
        rowsBefore = DatabaseRows.count(context().getBean(JdbcTemplate.class));
    }

    @AfterProperty
    void nothingWasStored() {
        assertThat(DatabaseRows.count(context().getBean(JdbcTemplate.class)))
                .as("rows per table after the property")
                .isEqualTo(rowsBefore);
    }

    @Property(tries = TRIES)
    void taskGroups(@ForAll("taskGroupBodies") byte[] body) throws Exception {
        refused(post("/api/task-groups"), body);
    }

    @Property(tries = TRIES)
    void datasets(@ForAll("datasetBodies") byte[] body) throws Exception {
        refused(post("/api/datasets"), body);
    }

    @Property(tries = TRIES)
    void lossWeightSchedules(@ForAll("scheduleBodies") byte[] body) throws Exception {
        refused(post("/api/loss-weight-schedules"), body);
    }

    @Property(tries = TRIES)
    void runs(@ForAll("runBodies") byte[] body) throws Exception {
        refused(post("/api/runs"), body);
    }

    @Property(tries = TRIES)
    void studies(@ForAll("studyBodies") byte[] body) throws Exception {
        refused(post("/api/studies"), body);
    }

    @Property(tries = TRIES)
    void modelVersions(@ForAll("versionBodies") byte[] body) throws Exception {
        refused(post("/api/models/hostile-json-model/versions"), body);
    }

    @Property(tries = TRIES)
    void surfaces(@ForAll("surfaceBodies") byte[] body) throws Exception {
        refused(post("/api/surfaces"), body);
    }

    @Property(tries = TRIES)
    void abExperiments(@ForAll("experimentBodies") byte[] body) throws Exception {
        refused(post("/api/ab-experiments"), body);
    }

    @Property(tries = TRIES)
    void events(@ForAll("eventBodies") byte[] body) throws Exception {
        refused(post("/api/events").with(TestSecurity.serving()), body);
    }

    @Property(tries = TRIES)
    void rank(@ForAll("rankBodies") byte[] body) throws Exception {
        refused(post("/api/rank").with(TestSecurity.serving()), body);
    }

    // Regression examples: each of these answered 500 before the fix the properties led to.

    @Example
    void aStudyWithoutSeedsIsCheckedWithTheDefaultSeed() throws Exception {
        // the default seeds, List.of(1L), threw on the null check
        JsonNode problem = refused(post("/api/studies"), studyTemplate().replace("\"seeds\": [1, 2], ", ""));
        assertThat(fields(problem)).contains("name").doesNotContain("seeds");
    }

    @Example
    void aRunWithANullLayerSizeNamesIt() throws Exception {
        // the engine's spec copied the list with List.copyOf, which refuses null
        JsonNode problem =
                refused(post("/api/runs"), runTemplate().replace("\"bottomUnits\": [8]", "\"bottomUnits\": [8, null]"));
        assertThat(fields(problem)).contains("model.bottomUnits[1]");
    }

    @Example
    void aScheduleWeightBeyondTheRangeOfADoubleIsNotFinite() throws Exception {
        // Jackson's doubleValue() throws for an integer beyond double's range instead of giving infinity
        JsonNode problem = refused(
                post("/api/loss-weight-schedules"),
                EXPONENTIAL_SCHEDULE.replace("\"gamma\": [1, 0.9]", "\"gamma\": [1, 9" + "0".repeat(400) + "]"));
        assertThat(fields(problem)).contains("spec.gamma[1]");
    }

    private static String runTemplate() {
        context();
        return runTemplate;
    }

    private static String studyTemplate() {
        context();
        return studyTemplate;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            fields.add(error.path("field").asString(""));
        }
        return fields;
    }

    private static JsonNode refused(MockHttpServletRequestBuilder request, String body) throws Exception {
        return refused(request, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the body and checks the answer is a 4xx problem detail, which it returns. */
    static JsonNode refused(MockHttpServletRequestBuilder request, byte[] body) throws Exception {
        MockHttpServletResponse response = context()
                .getBean(MockMvc.class)
                .perform(request.contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                        .content(body))
                .andReturn()
                .getResponse();
        String sent = printable(body);
        assertThat(response.getStatus()).as("status for %s", sent).isBetween(400, 499);
        assertThat(response.getContentType()).as("content type for %s", sent).isNotNull();
        assertThat(MediaType.parseMediaType(response.getContentType())
                        .isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("a problem detail for %s, got %s", sent, response.getContentType())
                .isTrue();
        JsonNode problem = JSON.readTree(response.getContentAsByteArray());
        assertThat(problem.path("status").asInt())
                .as("status member for %s", sent)
                .isEqualTo(response.getStatus());
        assertThat(problem.path("title").asString("")).as("title for %s", sent).isNotBlank();
        return problem;
    }

    private static String printable(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "… (" + body.length + " bytes)" : text;
    }

    @Provide
    Arbitrary<byte[]> taskGroupBodies() {
        return HostileJson.bodies(TASK_GROUP, Set.of("/name"));
    }

    @Provide
    Arbitrary<byte[]> datasetBodies() {
        return net.jqwik.api.Arbitraries.oneOf(
                HostileJson.bodies(FILE_DATASET, Set.of("/name")),
                HostileJson.bodies(GENERATED_DATASET, Set.of("/name")));
    }

    @Provide
    Arbitrary<byte[]> scheduleBodies() {
        return net.jqwik.api.Arbitraries.oneOf(
                HostileJson.bodies(EXPONENTIAL_SCHEDULE, Set.of("/name")),
                HostileJson.bodies(PIECEWISE_SCHEDULE, Set.of("/name")));
    }

    @Provide
    Arbitrary<byte[]> runBodies() {
        context();
        return HostileJson.bodies(runTemplate, Set.of("/priority"));
    }

    @Provide
    Arbitrary<byte[]> studyBodies() {
        context();
        return HostileJson.bodies(studyTemplate, Set.of("/name"));
    }

    @Provide
    Arbitrary<byte[]> versionBodies() {
        return HostileJson.bodies(VERSION, Set.of("/runId"));
    }

    @Provide
    Arbitrary<byte[]> surfaceBodies() {
        return HostileJson.bodies(SURFACE, Set.of("/name"));
    }

    @Provide
    Arbitrary<byte[]> experimentBodies() {
        return HostileJson.bodies(EXPERIMENT, Set.of("/name"));
    }

    @Provide
    Arbitrary<byte[]> eventBodies() {
        return HostileJson.bodies(EVENTS, Set.of("/events/0"));
    }

    @Provide
    Arbitrary<byte[]> rankBodies() {
        return HostileJson.bodies(RANK, Set.of("/userId"));
    }

    // The poison of each template is a value its validator always refuses: a blank name, a priority
    // out of range, a run that does not exist, an invalid surface name, an event without id or type.

    static final String TASK_GROUP = """
            {"name": "", "description": "hostile input",
             "tasks": [
               {"name": "ctr", "kind": "BINARY", "labelColumn": "click", "loss": "BCE", "metric": "AUC",
                "initialWeight": 1.0, "updateRatio": 0.9},
               {"name": "cvr", "kind": "BINARY", "labelColumn": "buy", "metric": "LOGLOSS", "sampleSpace": {"task": "ctr"}},
               {"name": "wt", "kind": "REGRESSION", "labelColumn": "watch", "loss": "MSE", "metric": "MAE",
                "sampleSpace": {"column": "click"}}]}""";

    static final String FILE_DATASET = """
            {"name": "", "kind": "FILE",
             "file": {"path": "/tmp/hostile.csv", "preset": "census-income", "delimiter": ",", "header": true},
             "columns": [{"name": "click", "role": "LABEL", "positiveValues": ["1", "yes"]},
                         {"name": "price", "role": "DENSE"}, {"name": "shop", "role": "CATEGORICAL"},
                         {"name": "day", "role": "IGNORE"}],
             "split": {"by": "column", "column": "day", "train": ["1", "2"], "validation": ["3"], "test": ["4"]},
             "badRows": {"policy": "SKIP", "maxSkipped": 3}}""";

    static final String GENERATED_DATASET = """
            {"name": "", "kind": "VIDEO_SIMULATOR",
             "spec": {"impressions": 5000, "worldSeed": 3, "streamSeed": 4,
                      "world": {"population": {"users": 300, "videos": 100}}},
             "split": {"by": "random", "seed": 1, "train": 0.7, "validation": 0.15, "test": 0.15}}""";

    static final String EXPONENTIAL_SCHEDULE = """
            {"name": "", "description": "decay",
             "spec": {"type": "exponential", "initial": [1, 1], "gamma": [1, 0.9], "unit": "epoch"}}""";

    static final String PIECEWISE_SCHEDULE = """
            {"name": "", "spec": {"type": "piecewise", "boundaries": [2, 5], "values": [[1, 1], [1, 0.5], [0.5, 1]],
             "unit": "step"}}""";

    static final String RUN = """
            {"taskGroupId": %d, "datasetId": %d,
             "model": {"name": "ple-2", "architecture": "ple", "tasks": ["y1", "y2"],
                       "experts": {"shared": 2, "perTask": 1, "units": [8]}, "bottomUnits": [8], "towerUnits": [8],
                       "levels": 2, "gateBias": true, "activation": "relu", "dropout": 0.1, "sluiceSubspaces": 2},
             "training": {"epochs": 2, "batchSize": 256, "learningRate": 0.01, "weightDecay": 0, "optimizer": "adam",
                          "seed": 1, "patience": 2, "monitor": "y1:mse", "clipNorm": 0, "maxEmbeddingDim": 16},
             "lossWeightScheduleId": 1,
             "resources": {"device": "cpu", "gpuCount": 0, "workerLabels": ["a100"]},
             "priority": 1000, "maxAttempts": 3}""";

    static final String STUDY = """
            {"name": "", "taskGroupId": %d, "datasetId": %d,
             "models": [{"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]},
                        {"name": "ple", "architecture": "ple", "levels": 2}],
             "seeds": [1, 2], "training": {"epochs": 1, "batchSize": 256},
             "lossWeightScheduleIds": [1, 2],
             "resources": {"device": "cpu", "workerLabels": []}, "priority": 0}""";

    static final String VERSION = """
            {"runId": -1, "description": "hostile input"}""";

    static final String SURFACE = """
            {"name": "Not A Surface!", "modelName": "video-ranker",
             "scoring": {"exponents": {"ctr": 1.0, "wt": 0.5},
                         "lengthTransform": {"type": "sigmoid", "center": 30, "scale": 10}},
             "description": "hostile input"}""";

    static final String EXPERIMENT = """
            {"name": "", "surface": "home-feed", "description": "hostile input", "salt": "abc123",
             "targetMetric": "watch_time_per_user",
             "guardrails": [{"metric": "play_rate", "maxRelativeDrop": 0.02},
                            {"metric": "p99_latency_ms", "maxMillis": 20, "alpha": 0.01}],
             "rampPlan": [{"percent": 5, "minDuration": "PT1H"}, {"percent": 100, "minDuration": "P1D"}],
             "variants": [
               {"name": "control", "control": true, "modelVersion": 1, "allocationBps": 500,
                "scoring": {"exponents": {"y1": 1.0}, "lengthTransform": {"type": "none"}}},
               {"name": "treatment", "control": false, "modelVersion": 2, "allocationBps": 500}]}""";

    static final String EVENTS = """
            {"events": [
               {"userId": "u-1"},
               {"id": "e-2", "type": "click", "userId": "u-1", "itemId": "v-1",
                "requestId": "123e4567-e89b-12d3-a456-426614174000", "occurredAt": "2026-01-01T00:00:00Z"},
               {"id": "e-3", "type": "watch_time", "userId": "u-2", "itemId": "v-2", "value": 12.5,
                "occurredAt": "2026-01-01T00:00:00Z"}]}""";

    static final String RANK = """
            {"surface": "home-feed", "userId": "",
             "context": {"user_id": 1842, "device": 1, "hour": 20, "user_activity": 0.7},
             "candidates": [
               {"itemId": "v-1", "features": {"video_id": 77, "category": 3, "video_popularity": 0.2}, "videoLength": 95},
               {"itemId": "v-2", "features": {"video_id": 78, "category": "news"}, "videoLength": 30}],
             "limit": 10}""";
}
