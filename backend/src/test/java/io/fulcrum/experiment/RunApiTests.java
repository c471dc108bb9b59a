package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class RunApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    int storedRuns() {
        return jdbc.queryForObject("SELECT count(*) FROM run", Integer.class);
    }

    @Test
    void trainsAQueuedRunToSuccessWithMetricsAndResult() {
        MvcTestResult created = fx.post("/api/runs", fx.run(SMALL_MMOE, QUICK, ""));

        assertThat(created).hasStatus(HttpStatus.CREATED);
        assertThat(created)
                .bodyJson()
                .extractingPath("$.model.inputs.dense.length()")
                .isEqualTo(8);
        assertThat(created).bodyJson().extractingPath("$.training.batchSize").isEqualTo(256);
        assertThat(created).bodyJson().extractingPath("$.lossWeights.type").isEqualTo("exponential");
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();

        String done = fx.awaitRun(id, Duration.ofSeconds(90), inState("SUCCEEDED", "FAILED"));

        assertThat(JsonPath.<String>read(done, "$.state")).as(done).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<Integer>read(done, "$.attempt")).isEqualTo(1);
        assertThat(JsonPath.<String>read(done, "$.result.test.y1.metric")).isEqualTo("MSE");
        assertThat(((Number) JsonPath.read(done, "$.result.test.y2.value")).doubleValue())
                .isPositive();
        assertThat(JsonPath.<Integer>read(done, "$.result.parameters")).isPositive();
        assertThat(JsonPath.<List<?>>read(done, "$.result.expertUtilization")).hasSize(2);
        assertThat(JsonPath.<Integer>read(done, "$.checkpointEpoch")).isEqualTo(2);

        String losses = fx.get("/api/runs/{id}/metrics?name=loss&task=y1", id);
        int steps = 2
                * (int) Math.ceil(
                        jdbc.queryForObject("SELECT train_rows FROM dataset WHERE id = ?", Long.class, fx.dataset())
                                / 256.0);
        assertThat(JsonPath.<Integer>read(losses, "$[0].total")).isEqualTo(steps);
        assertThat(JsonPath.<List<Integer>>read(losses, "$[0].points[*].step"))
                .as("every step once, in order")
                .isEqualTo(
                        java.util.stream.IntStream.rangeClosed(1, steps).boxed().toList());
        String validation = fx.get("/api/runs/{id}/metrics?split=validation&name=mse", id);
        assertThat(JsonPath.<List<String>>read(validation, "$[*].task")).containsExactly("y1", "y2");
        assertThat(JsonPath.<List<Integer>>read(validation, "$[0].points[*].epoch"))
                .containsExactly(1, 2);
        String test = fx.get("/api/runs/{id}/metrics?split=test&name=mse&task=y2", id);
        assertThat(((Number) JsonPath.read(test, "$[0].points[0].value")).doubleValue())
                .isEqualTo(((Number) JsonPath.read(done, "$.result.test.y2.value")).doubleValue());
    }

    @Test
    void aGpuRunWaitsWithItsReasonWhileOnlyCpuWorkersLive() {
        long id = fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, """
                "resources": {"device": "gpu"}"""));

        fx.sleep(1500); // several claim rounds of the embedded CPU worker
        String run = fx.get("/api/runs/{id}", id);

        assertThat(JsonPath.<String>read(run, "$.state")).isEqualTo("QUEUED");
        assertThat(JsonPath.<String>read(run, "$.reason")).isEqualTo("waiting: no live worker has a GPU");
        assertThat(JsonPath.<Integer>read(run, "$.resources.gpuCount")).isEqualTo(1);

        MvcTestResult cancelled = mvc.post().uri("/api/runs/{id}/cancel", id).exchange();
        assertThat(cancelled).bodyJson().extractingPath("$.state").isEqualTo("CANCELLED");
        MvcTestResult retried = mvc.post().uri("/api/runs/{id}/retry", id).exchange();
        assertThat(retried).bodyJson().extractingPath("$.state").isEqualTo("QUEUED");
        assertThat(mvc.post().uri("/api/runs/{id}/cancel", id).exchange()).hasStatus(HttpStatus.OK);
        assertThat(mvc.post().uri("/api/runs/{id}/cancel", id).exchange()).hasStatus(HttpStatus.CONFLICT);
    }

    @Test
    void aRunningRunStopsSoonAfterCancel() {
        long id = fx.create("/api/runs", fx.run(SMALL_MMOE, """
                {"epochs": 500, "batchSize": 32, "patience": 0}""", "\"priority\": 100"));
        fx.awaitRun(id, Duration.ofSeconds(60), inState("RUNNING"));

        assertThat(mvc.post().uri("/api/runs/{id}/cancel", id).exchange()).hasStatus(HttpStatus.OK);

        String run = fx.awaitRun(id, Duration.ofSeconds(10), inState("CANCELLED", "FAILED", "SUCCEEDED"));
        assertThat(JsonPath.<String>read(run, "$.state")).isEqualTo("CANCELLED");
        assertThat(JsonPath.<String>read(run, "$.reason")).isEqualTo("cancelled on request");
    }

    @Test
    void listsRunsByState() {
        long id = fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, """
                "resources": {"device": "gpu", "gpuCount": 2}"""));

        String queued = fx.get("/api/runs?state=QUEUED&size=200");

        assertThat(JsonPath.<List<Integer>>read(queued, "$.items[*].id")).contains((int) id);
        assertThat(JsonPath.<List<String>>read(queued, "$.items[*].state")).containsOnly("QUEUED");
        mvc.post().uri("/api/runs/{id}/cancel", id).exchange();
    }

    @Nested
    class Refusing {

        MvcTestResult refused(String json) {
            int before = storedRuns();
            MvcTestResult result = fx.post("/api/runs", json);
            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(storedRuns()).as("nothing queued").isEqualTo(before);
            return result;
        }

        void hasViolation(MvcTestResult result, String field, String rule) {
            List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
            assertThat(errors)
                    .as(body(result))
                    .anySatisfy(e -> assertThat(e).containsEntry("field", field).containsEntry("rule", rule));
        }

        @Test
        void aModelWhoseTasksDoNotMatchTheTaskGroup() {
            hasViolation(refused(fx.run("""
                            {"architecture": "mmoe", "tasks": ["ctr", "cvr"]}""", QUICK, "")), "model.tasks", "matches-task-group");
        }

        @Test
        void aTaskGroupWhoseLabelIsNotInTheDataset() {
            long group = fx.taskGroup("""
                    [{"name": "ctr", "kind": "BINARY", "labelColumn": "click"},
                     {"name": "y2", "kind": "REGRESSION", "labelColumn": "y2"}]""");
            MvcTestResult result = refused("""
                    {"taskGroupId": %d, "datasetId": %d, "model": {"architecture": "ple"}}""".formatted(group, fx.dataset()));
            hasViolation(result, "datasetId", "has-label-column");
        }

        @Test
        void aSampleSpaceColumnMissingFromTheDataset() {
            long group = fx.taskGroup("""
                    [{"name": "y1", "kind": "REGRESSION", "labelColumn": "y1"},
                     {"name": "y2", "kind": "REGRESSION", "labelColumn": "y2", "sampleSpace": {"column": "play"}}]""");
            MvcTestResult result = refused("""
                    {"taskGroupId": %d, "datasetId": %d, "model": {"architecture": "ple"}}""".formatted(group, fx.dataset()));
            hasViolation(result, "datasetId", "has-sample-space-column");
        }

        @Test
        void insaneSizes() {
            MvcTestResult result = refused(fx.run("""
                    {"architecture": "ple", "towerUnits": [100000], "experts": {"shared": 0, "units": [8]}, "levels": 99}""", """
                    {"epochs": 0, "batchSize": 1000000, "learningRate": 5}""", ""));
            hasViolation(result, "model.towerUnits[0]", "range");
            hasViolation(result, "model.experts.shared", "range");
            hasViolation(result, "model.levels", "range");
            hasViolation(result, "training.epochs", "range");
            hasViolation(result, "training.batchSize", "range");
            hasViolation(result, "training.learningRate", "range");
        }

        @Test
        void anUnknownArchitectureOrSchedule() {
            MvcTestResult result = refused(fx.run("""
                    {"architecture": "transformer"}""", QUICK, "\"lossWeightScheduleId\": 987654"));
            hasViolation(result, "model.architecture", "one-of");
            hasViolation(result, "lossWeightScheduleId", "exists");
        }

        @Test
        void unknownTaskGroupAndDatasetAndBadResources() {
            MvcTestResult result = refused("""
                    {"taskGroupId": 987654, "datasetId": 987655, "model": {"architecture": "mmoe"},
                     "resources": {"device": "tpu"}, "priority": 1000}""");
            hasViolation(result, "taskGroupId", "exists");
            hasViolation(result, "datasetId", "exists");
            hasViolation(result, "resources.device", "one-of");
            hasViolation(result, "priority", "range");
        }

        @Test
        void aMultiTaskModelForOneTask() {
            long group = fx.taskGroup("""
                    [{"name": "y1", "kind": "REGRESSION", "labelColumn": "y1"}]""");
            MvcTestResult result = refused("""
                    {"taskGroupId": %d, "datasetId": %d, "model": {"architecture": "mmoe"}}""".formatted(group, fx.dataset()));
            hasViolation(result, "model.architecture", "multi-task");
        }

        @Test
        void aMissingModel() {
            hasViolation(refused("""
                    {"taskGroupId": %d, "datasetId": %d}""".formatted(fx.taskGroup(), fx.dataset())), "model", "required");
        }
    }

    @Test
    void answers404ForAnUnknownRun() {
        assertThat(mvc.get().uri("/api/runs/987654").exchange()).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(mvc.get().uri("/api/runs/987654/metrics").exchange()).hasStatus(HttpStatus.NOT_FOUND);
    }
}
