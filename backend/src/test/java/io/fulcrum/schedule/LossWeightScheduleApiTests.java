package io.fulcrum.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class LossWeightScheduleApiTests {

    static final String EQUAL = "{\"type\": \"constant\"}";
    static final String DECAY = "{\"type\": \"exponential\", \"initial\": [1, 2], \"gamma\": [1, 0.9]}";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String schedule(String name, String spec) {
        return "{\"name\": \"" + name + "\", \"description\": \"test\", \"spec\": " + spec + "}";
    }

    MvcTestResult post(String json) {
        return mvc.post()
                .uri("/api/loss-weight-schedules")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    MvcTestResult put(long id, String json) {
        return mvc.put()
                .uri("/api/loss-weight-schedules/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    long create(String spec) {
        MvcTestResult result = post(schedule(uniqueName("s"), spec));
        assertThat(result).hasStatus(HttpStatus.CREATED);
        return ((Number) JsonPath.read(body(result), "$.id")).longValue();
    }

    MvcTestResult preview(long id, String query) {
        return mvc.get()
                .uri("/api/loss-weight-schedules/" + id + "/preview?" + query)
                .exchange();
    }

    int count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
    }

    static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (UnsupportedEncodingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double weight(MvcTestResult result, int point, int task) {
        return ((Number) JsonPath.read(body(result), "$.points[" + point + "].weights[" + task + "]")).doubleValue();
    }

    static void assertViolation(MvcTestResult result, String field, String rule) {
        List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
        assertThat(errors).as("errors of %s", body(result)).anySatisfy(error -> {
            assertThat(error.get("field")).isEqualTo(field);
            assertThat(error.get("rule")).isEqualTo(rule);
            assertThat(error.get("message")).isNotBlank();
        });
    }

    @Test
    void documentsTheEndpointsAndTheSpecTypes() {
        MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.paths['/api/loss-weight-schedules/{id}/preview'].get")
                .isNotNull();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.paths['/api/loss-weight-schedules/{id}/versions/{version}'].get")
                .isNotNull();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.components.schemas.LossWeightSchedule.properties.spec.oneOf.length()")
                .isEqualTo(6);
    }

    @Nested
    class Creating {

        @Test
        void createsVersionOneWithItsSpec() {
            String name = uniqueName("decay");

            MvcTestResult result = post(schedule(name, DECAY));

            assertThat(result).hasStatus(HttpStatus.CREATED);
            long id = ((Number) JsonPath.read(body(result), "$.id")).longValue();
            assertThat(result).hasHeader("Location", "/api/loss-weight-schedules/" + id);
            assertThat(result).bodyJson().extractingPath("$.name").isEqualTo(name);
            assertThat(result).bodyJson().extractingPath("$.description").isEqualTo("test");
            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(1);
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("exponential");
            assertThat(result).bodyJson().extractingPath("$.spec.type").isEqualTo("exponential");
            assertThat(result).bodyJson().extractingPath("$.spec.gamma").isEqualTo(List.of(1.0, 0.9));
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.versions[*].version")
                    .isEqualTo(List.of(1));
        }

        @Test
        void createsEveryTypeOfSchedule() {
            List<String> specs = List.of(
                    "{\"type\": \"constant\", \"weights\": [1, 0.5]}",
                    "{\"type\": \"exponential\", \"gamma\": [0.95, 0.9], \"unit\": \"step\"}",
                    "{\"type\": \"warmup\", \"target\": [1, 1], \"length\": 500}",
                    "{\"type\": \"piecewise\", \"boundaries\": [5, 10], \"values\": [[1, 0], [1, 0.5], [1, 1]]}",
                    "{\"type\": \"dwa\", \"temperature\": 2}",
                    "{\"type\": \"uncertainty\", \"initialLogVariance\": -0.5}");
            for (String spec : specs) {
                assertThat(post(schedule(uniqueName("type"), spec))).as(spec).hasStatus(HttpStatus.CREATED);
            }
        }

        @Test
        void keepsTheSpecAsTheEngineReadsIt() {
            long id = create(
                    "{\"type\": \"piecewise\", \"boundaries\": [3], \"values\": [[1], [0.5]], \"unit\": \"step\"}");

            MvcTestResult result =
                    mvc.get().uri("/api/loss-weight-schedules/{id}", id).exchange();

            assertThat(result).bodyJson().extractingPath("$.spec.boundaries").isEqualTo(List.of(3));
            assertThat(result).bodyJson().extractingPath("$.spec.values[1][0]").isEqualTo(0.5);
            assertThat(result).bodyJson().extractingPath("$.spec.unit").isEqualTo("step");
        }
    }

    @Nested
    class Reading {

        @Test
        void getsTheLatestSpecAndTheListOfVersions() {
            long id = create(EQUAL);
            put(id, schedule(uniqueName("two"), DECAY));

            MvcTestResult result =
                    mvc.get().uri("/api/loss-weight-schedules/{id}", id).exchange();

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(2);
            assertThat(result).bodyJson().extractingPath("$.spec.type").isEqualTo("exponential");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.versions[*].version")
                    .isEqualTo(List.of(1, 2));
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.versions[*].type")
                    .isEqualTo(List.of("constant", "exponential"));
        }

        @Test
        void listsSchedulesByPage() {
            for (int i = 0; i < 3; i++) {
                create(EQUAL);
            }
            int total = count("loss_weight_schedule");

            MvcTestResult first =
                    mvc.get().uri("/api/loss-weight-schedules?page=0&size=2").exchange();

            assertThat(first).hasStatusOk();
            assertThat(first).bodyJson().extractingPath("$.items.length()").isEqualTo(2);
            assertThat(first).bodyJson().extractingPath("$.items[0].type").isNotNull();
            assertThat(first).bodyJson().extractingPath("$.totalItems").isEqualTo(total);
            assertThat(first).bodyJson().extractingPath("$.totalPages").isEqualTo((total + 1) / 2);
        }

        @Test
        void rejectsBadPaging() {
            MvcTestResult result =
                    mvc.get().uri("/api/loss-weight-schedules?page=-1&size=0").exchange();

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[*].field").isEqualTo(List.of("page", "size"));
        }

        @Test
        void answersNotFoundForAnUnknownSchedule() {
            MvcTestResult result =
                    mvc.get().uri("/api/loss-weight-schedules/999999999").exchange();

            assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .isEqualTo("Loss-weight schedule 999999999 does not exist");
        }
    }

    @Nested
    class Versioning {

        @Test
        void aNewSpecBecomesTheNextVersionAndTheOldOneStaysReadable() {
            long id = create(EQUAL);
            String newName = uniqueName("renamed");

            MvcTestResult result = put(id, schedule(newName, DECAY));

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.name").isEqualTo(newName);
            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(2);
            MvcTestResult first = mvc.get()
                    .uri("/api/loss-weight-schedules/{id}/versions/1", id)
                    .exchange();
            assertThat(first).hasStatusOk();
            assertThat(first).bodyJson().extractingPath("$.scheduleId").isEqualTo((int) id);
            assertThat(first).bodyJson().extractingPath("$.version").isEqualTo(1);
            assertThat(first).bodyJson().extractingPath("$.type").isEqualTo("constant");
            assertThat(first).bodyJson().extractingPath("$.spec.type").isEqualTo("constant");
            assertThat(mvc.get().uri("/api/loss-weight-schedules/{id}/versions/2", id))
                    .bodyJson()
                    .extractingPath("$.spec.initial")
                    .isEqualTo(List.of(1.0, 2.0));
        }

        @Test
        void theSameSpecAddsNoVersion() {
            long id = create(DECAY);

            MvcTestResult result = put(id, """
                    {"name": "%s", "description": "now described",
                     "spec": {"gamma": [1.0, 0.90], "type": "exponential", "initial": [1, 2]}}""".formatted(uniqueName("same")));

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(1);
            assertThat(result).bodyJson().extractingPath("$.description").isEqualTo("now described");
            assertThat(result).bodyJson().extractingPath("$.versions.length()").isEqualTo(1);
        }

        @Test
        void leavesTheScheduleUntouchedWhenTheEditIsInvalid() {
            long id = create(EQUAL);

            MvcTestResult result = put(id, schedule("", "{\"type\": \"dwa\", \"temperature\": -1}"));

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertViolation(result, "name", "required");
            assertViolation(result, "spec.temperature", "positive");
            assertThat(mvc.get().uri("/api/loss-weight-schedules/{id}", id))
                    .bodyJson()
                    .extractingPath("$.version")
                    .isEqualTo(1);
        }

        @Test
        void rejectsTakingAnotherSchedulesName() {
            String taken = uniqueName("taken");
            post(schedule(taken, EQUAL));
            long id = create(EQUAL);

            MvcTestResult result = put(id, schedule(taken.toUpperCase(), DECAY));

            assertThat(result).hasStatus(HttpStatus.CONFLICT);
            assertViolation(result, "name", "unique");
            assertThat(mvc.get().uri("/api/loss-weight-schedules/{id}", id))
                    .bodyJson()
                    .extractingPath("$.version")
                    .isEqualTo(1);
        }

        @Test
        void answersNotFoundForAnUnknownScheduleOrVersion() {
            long id = create(EQUAL);

            assertThat(put(999999999L, schedule("x", EQUAL))).hasStatus(HttpStatus.NOT_FOUND);
            MvcTestResult missingVersion = mvc.get()
                    .uri("/api/loss-weight-schedules/{id}/versions/2", id)
                    .exchange();
            assertThat(missingVersion).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(missingVersion)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .isEqualTo("Loss-weight schedule " + id + " version 2 does not exist");
            assertThat(mvc.get().uri("/api/loss-weight-schedules/999999999/versions/1"))
                    .hasStatus(HttpStatus.NOT_FOUND);
        }
    }

    @Nested
    class Deleting {

        @Test
        void deletesAScheduleAndAllItsVersions() {
            long id = create(EQUAL);
            put(id, schedule(uniqueName("v2"), DECAY));

            assertThat(mvc.delete().uri("/api/loss-weight-schedules/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);

            assertThat(mvc.get().uri("/api/loss-weight-schedules/{id}", id)).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM loss_weight_schedule_version WHERE schedule_id = ?",
                            Integer.class,
                            id))
                    .isZero();
        }

        @Test
        void refusesWhileSomethingReferencesTheSchedule() {
            long id = create(EQUAL);
            jdbc.execute(
                    "CREATE TABLE schedule_reference_probe (schedule_id BIGINT REFERENCES loss_weight_schedule (id))");
            try {
                jdbc.update("INSERT INTO schedule_reference_probe VALUES (?)", id);

                MvcTestResult result =
                        mvc.delete().uri("/api/loss-weight-schedules/{id}", id).exchange();

                assertThat(result).hasStatus(HttpStatus.CONFLICT);
                assertThat(result)
                        .bodyJson()
                        .extractingPath("$.detail")
                        .asString()
                        .contains("'schedule_reference_probe'");
                assertThat(mvc.get().uri("/api/loss-weight-schedules/{id}", id))
                        .bodyJson()
                        .extractingPath("$.versions.length()")
                        .isEqualTo(1);
            } finally {
                jdbc.execute("DROP TABLE schedule_reference_probe");
            }
        }

        @Test
        void answersNotFoundForAnUnknownSchedule() {
            assertThat(mvc.delete().uri("/api/loss-weight-schedules/999999999")).hasStatus(HttpStatus.NOT_FOUND);
        }
    }

    @Nested
    class Previewing {

        @Test
        void constantWeightsForATaskCount() {
            long id = create(EQUAL);

            MvcTestResult result = preview(id, "tasks=3&epochs=4");

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.scheduleId").isEqualTo((int) id);
            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(1);
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("constant");
            assertThat(result).bodyJson().extractingPath("$.unit").isEqualTo("epoch");
            assertThat(result).bodyJson().extractingPath("$.tasks").isEqualTo(List.of("task1", "task2", "task3"));
            assertThat(result).bodyJson().extractingPath("$.points[*].t").isEqualTo(List.of(0, 1, 2, 3));
            assertThat(result).bodyJson().extractingPath("$.points[3].weights").isEqualTo(List.of(1.0, 1.0, 1.0));
            assertThat(result).bodyJson().extractingPath("$.note").isNull();
            assertThat(body(result)).contains("\"note\":null");
        }

        @Test
        void exponentialDecayPerEpochForNamedTasks() {
            long id = create(DECAY);

            MvcTestResult result = preview(id, "tasks=ctr,cvr");

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.tasks").isEqualTo(List.of("ctr", "cvr"));
            assertThat(result).bodyJson().extractingPath("$.points.length()").isEqualTo(10);
            assertThat(result).bodyJson().extractingPath("$.points[0].weights").isEqualTo(List.of(1.0, 2.0));
            assertThat(weight(result, 2, 0)).isEqualTo(1.0);
            assertThat(weight(result, 2, 1)).isCloseTo(2 * 0.9 * 0.9, within(1e-6));
        }

        @Test
        void stepUnitSchedulesArePreviewedStepByStep() {
            long id = create("{\"type\": \"exponential\", \"gamma\": [0.5], \"unit\": \"step\"}");

            MvcTestResult result = preview(id, "tasks=1&epochs=2&stepsPerEpoch=3");

            assertThat(result).bodyJson().extractingPath("$.unit").isEqualTo("step");
            assertThat(result).bodyJson().extractingPath("$.points[*].t").isEqualTo(List.of(0, 1, 2, 3, 4, 5));
            assertThat(result).bodyJson().extractingPath("$.points[3].weights").isEqualTo(List.of(0.125));
        }

        @Test
        void warmupCountsStepsByDefault() {
            long id = create("{\"type\": \"warmup\", \"length\": 4}");

            MvcTestResult result = preview(id, "tasks=2&epochs=1&stepsPerEpoch=6");

            assertThat(result).bodyJson().extractingPath("$.unit").isEqualTo("step");
            assertThat(result).bodyJson().extractingPath("$.points[0].weights").isEqualTo(List.of(0.0, 0.0));
            assertThat(result).bodyJson().extractingPath("$.points[2].weights").isEqualTo(List.of(0.5, 0.5));
            assertThat(result).bodyJson().extractingPath("$.points[5].weights").isEqualTo(List.of(1.0, 1.0));
        }

        @Test
        void piecewiseSwitchesAtItsBoundaries() {
            long id = create("{\"type\": \"piecewise\", \"boundaries\": [2], \"values\": [[1, 0], [0.5, 1]]}");

            MvcTestResult result = preview(id, "tasks=vtr,vcr&epochs=3");

            assertThat(result).bodyJson().extractingPath("$.points[1].weights").isEqualTo(List.of(1.0, 0.0));
            assertThat(result).bodyJson().extractingPath("$.points[2].weights").isEqualTo(List.of(0.5, 1.0));
        }

        @Test
        void dwaShowsTheEqualWeightsOfItsFirstTwoEpochsAndSaysWhy() {
            long id = create("{\"type\": \"dwa\"}");

            MvcTestResult result = preview(id, "tasks=2&epochs=5");

            assertThat(result).bodyJson().extractingPath("$.points[*].t").isEqualTo(List.of(0, 1));
            assertThat(result).bodyJson().extractingPath("$.points[1].weights").isEqualTo(List.of(1.0, 1.0));
            assertThat(result).bodyJson().extractingPath("$.note").asString().contains("training losses", "T = 2.0");
        }

        @Test
        void uncertaintyShowsTheWeightsItStartsWithAndSaysWhy() {
            long id = create("{\"type\": \"uncertainty\", \"initialLogVariance\": 0.6931472}");

            MvcTestResult result = preview(id, "tasks=2");

            assertThat(result).bodyJson().extractingPath("$.points[*].t").isEqualTo(List.of(0));
            assertThat(weight(result, 0, 0)).isCloseTo(0.5, within(1e-6));
            assertThat(weight(result, 0, 1)).isCloseTo(0.5, within(1e-6));
            assertThat(result).bodyJson().extractingPath("$.note").asString().contains("learned");
        }

        @Test
        void previewsAnOlderVersion() {
            long id = create(EQUAL);
            put(id, schedule(uniqueName("v2"), DECAY));

            MvcTestResult result = preview(id, "tasks=2&epochs=1&version=1");

            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(1);
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("constant");
        }

        @Test
        void perTaskArraysMustFitTheTasks() {
            long id = create(DECAY);

            MvcTestResult result = preview(id, "tasks=ctr,cvr,ctcvr");

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertViolation(result, "tasks", "fits-tasks");
            assertThat(result).bodyJson().extractingPath("$.errors.length()").isEqualTo(2);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.errors[1].message")
                    .asString()
                    .contains("spec.gamma");
        }

        @Test
        void rejectsBadParameters() {
            long id = create("{\"type\": \"warmup\", \"length\": 10}");

            assertViolation(preview(id, "epochs=3"), "tasks", "required");
            assertViolation(preview(id, "tasks=0"), "tasks", "range");
            assertViolation(preview(id, "tasks=33"), "tasks", "range");
            assertViolation(preview(id, "tasks=ctr,,cvr"), "tasks", "pattern");
            assertViolation(preview(id, "tasks=ctr,ctr"), "tasks", "unique");
            assertViolation(preview(id, "tasks=2&epochs=0"), "epochs", "range");
            assertViolation(preview(id, "tasks=2&epochs=1001"), "epochs", "range");
            assertViolation(preview(id, "tasks=2&stepsPerEpoch=0"), "stepsPerEpoch", "range");
            assertViolation(preview(id, "tasks=2&epochs=200&stepsPerEpoch=100"), "stepsPerEpoch", "max-points");
            assertViolation(preview(id, "tasks=2&epochs=many"), "epochs", "type");
        }

        @Test
        void answersNotFoundForAnUnknownScheduleOrVersion() {
            long id = create(EQUAL);

            assertThat(preview(999999999L, "tasks=2")).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(preview(id, "tasks=2&version=2")).hasStatus(HttpStatus.NOT_FOUND);
        }
    }

    @Nested
    class PreviewingADraft {

        MvcTestResult previewDraft(String json) {
            return mvc.post()
                    .uri("/api/loss-weight-schedules/preview")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(json)
                    .exchange();
        }

        @Test
        void previewsASpecThatIsNotSaved() {
            int schedules = count("loss_weight_schedule");

            MvcTestResult result = previewDraft(
                    "{\"spec\": " + DECAY + ", \"tasks\": \"ctr,cvr\", \"epochs\": 3, \"stepsPerEpoch\": 10}");

            assertThat(result).hasStatusOk();
            assertThat(body(result)).contains("\"scheduleId\":null", "\"version\":null");
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("exponential");
            assertThat(result).bodyJson().extractingPath("$.tasks").isEqualTo(List.of("ctr", "cvr"));
            assertThat(result).bodyJson().extractingPath("$.points[*].t").isEqualTo(List.of(0, 1, 2));
            assertThat(weight(result, 2, 0)).isEqualTo(1.0, within(1e-6));
            assertThat(weight(result, 2, 1)).isEqualTo(2 * 0.81, within(1e-5));
            assertThat(count("loss_weight_schedule")).isEqualTo(schedules);
        }

        @Test
        void previewsAStepScheduleStepByStepForATaskCount() {
            MvcTestResult result = previewDraft("""
                    {"spec": {"type": "warmup", "length": 4}, "tasks": "2", "epochs": 1, "stepsPerEpoch": 6}""");

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.unit").isEqualTo("step");
            assertThat(result).bodyJson().extractingPath("$.points.length()").isEqualTo(6);
            assertThat(weight(result, 2, 1)).isEqualTo(0.5, within(1e-6));
        }

        @Test
        void namesEveryBadFieldOfTheSpecAndTheQuery() {
            MvcTestResult result = previewDraft("""
                    {"spec": {"type": "exponential", "gamma": [1, -0.5]}, "tasks": "", "epochs": 0}""");

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertViolation(result, "spec.gamma[1]", "range");
            assertViolation(result, "tasks", "required");
            assertViolation(result, "epochs", "range");
        }

        @Test
        void rejectsASpecThatDoesNotFitTheTasks() {
            MvcTestResult result = previewDraft("{\"spec\": " + DECAY + ", \"tasks\": \"3\"}");

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertViolation(result, "tasks", "fits-tasks");
        }

        @Test
        void requiresASpec() {
            assertViolation(previewDraft("{\"tasks\": \"2\"}"), "spec", "required");
            assertViolation(
                    previewDraft("{\"spec\": {\"type\": \"linear\"}, \"tasks\": \"2\"}"), "spec.type", "one-of");
        }
    }

    @Nested
    class RejectingBadInput {

        MvcTestResult rejected(String json) {
            int schedules = count("loss_weight_schedule");
            int versions = count("loss_weight_schedule_version");
            MvcTestResult result = post(json);
            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(count("loss_weight_schedule")).as("no schedule saved").isEqualTo(schedules);
            assertThat(count("loss_weight_schedule_version"))
                    .as("no version saved")
                    .isEqualTo(versions);
            return result;
        }

        MvcTestResult rejectedSpec(String spec) {
            return rejected(schedule(uniqueName("bad"), spec));
        }

        @Test
        void missingBlankAndLongNames() {
            assertViolation(rejected("{\"spec\": " + EQUAL + "}"), "name", "required");
            assertViolation(rejected(schedule("   ", EQUAL)), "name", "required");
            assertViolation(rejected(schedule("n".repeat(101), EQUAL)), "name", "max-length");
        }

        @Test
        void longDescription() {
            MvcTestResult result = rejected("{\"name\": \"%s\", \"description\": \"%s\", \"spec\": %s}"
                    .formatted(uniqueName("long"), "d".repeat(2001), EQUAL));

            assertViolation(result, "description", "max-length");
        }

        @Test
        void duplicateNameIsAConflict() {
            String name = uniqueName("twice");
            post(schedule(name, EQUAL));
            int schedules = count("loss_weight_schedule");

            MvcTestResult result = post(schedule(" " + name.toUpperCase() + " ", DECAY));

            assertThat(result).hasStatus(HttpStatus.CONFLICT);
            assertViolation(result, "name", "unique");
            assertThat(count("loss_weight_schedule")).isEqualTo(schedules);
        }

        @Test
        void missingOrShapelessSpec() {
            assertViolation(rejected("{\"name\": \"no spec\"}"), "spec", "required");
            assertViolation(rejected(schedule("null spec", "null")), "spec", "required");
            assertViolation(rejected(schedule("list spec", "[1, 2]")), "spec", "type");
        }

        @Test
        void missingOrUnknownType() {
            assertViolation(rejectedSpec("{\"weights\": [1]}"), "spec.type", "required");
            assertViolation(rejectedSpec("{\"type\": \"cosine\"}"), "spec.type", "one-of");
            assertViolation(rejectedSpec("{\"type\": 3}"), "spec.type", "type");
        }

        @Test
        void propertiesTheTypeDoesNotHave() {
            MvcTestResult result = rejectedSpec("{\"type\": \"constant\", \"weight\": [1], \"gamma\": [1]}");

            assertViolation(result, "spec.weight", "known-property");
            assertViolation(result, "spec.gamma", "known-property");
        }

        @Test
        void weightsMustBeFiniteNumbersOfAtLeastZero() {
            MvcTestResult result = rejectedSpec("{\"type\": \"constant\", \"weights\": [1, -0.5, \"x\", 1e39]}");

            assertViolation(result, "spec.weights[1]", "min");
            assertViolation(result, "spec.weights[2]", "type");
            assertViolation(result, "spec.weights[3]", "finite");
        }

        @Test
        void weightListsMustHaveOneToThirtyTwoEntriesAndOneAboveZero() {
            assertViolation(rejectedSpec("{\"type\": \"constant\", \"weights\": []}"), "spec.weights", "min-size");
            assertViolation(
                    rejectedSpec("{\"type\": \"constant\", \"weights\": [" + "1, ".repeat(32) + "1]}"),
                    "spec.weights",
                    "max-size");
            assertViolation(rejectedSpec("{\"type\": \"constant\", \"weights\": 1}"), "spec.weights", "type");
            assertViolation(
                    rejectedSpec("{\"type\": \"constant\", \"weights\": [0, 0]}"), "spec.weights", "any-positive");
        }

        @Test
        void exponentialNeedsGammaInZeroToTwoForEveryInitialWeight() {
            assertViolation(rejectedSpec("{\"type\": \"exponential\", \"initial\": [1]}"), "spec.gamma", "required");
            MvcTestResult result = rejectedSpec("{\"type\": \"exponential\", \"gamma\": [0.9, 0, 2.5, -1]}");
            assertViolation(result, "spec.gamma[1]", "range");
            assertViolation(result, "spec.gamma[2]", "range");
            assertViolation(result, "spec.gamma[3]", "range");
            assertViolation(
                    rejectedSpec("{\"type\": \"exponential\", \"initial\": [1, 1, 1], \"gamma\": [0.9, 0.8]}"),
                    "spec.gamma",
                    "same-length");
        }

        @Test
        void unitIsEpochOrStep() {
            assertViolation(
                    rejectedSpec("{\"type\": \"exponential\", \"gamma\": [1], \"unit\": \"hour\"}"),
                    "spec.unit",
                    "one-of");
            assertViolation(
                    rejectedSpec("{\"type\": \"piecewise\", \"boundaries\": [], \"values\": [[1]], \"unit\": 1}"),
                    "spec.unit",
                    "type");
        }

        @Test
        void warmupNeedsAWholeLengthOfAtLeastOne() {
            assertViolation(rejectedSpec("{\"type\": \"warmup\"}"), "spec.length", "required");
            assertViolation(rejectedSpec("{\"type\": \"warmup\", \"length\": 0}"), "spec.length", "min");
            assertViolation(rejectedSpec("{\"type\": \"warmup\", \"length\": 1.5}"), "spec.length", "type");
            assertViolation(
                    rejectedSpec("{\"type\": \"warmup\", \"length\": 9, \"start\": [0], \"target\": [1, 1]}"),
                    "spec.target",
                    "same-length");
        }

        @Test
        void piecewiseNeedsIncreasingBoundariesAndOneMoreRowOfEqualLength() {
            assertViolation(
                    rejectedSpec("{\"type\": \"piecewise\", \"values\": [[1]]}"), "spec.boundaries", "required");
            assertViolation(rejectedSpec("{\"type\": \"piecewise\", \"boundaries\": [1]}"), "spec.values", "required");
            MvcTestResult result = rejectedSpec("""
                    {"type": "piecewise", "boundaries": [0, 5, 5, 3, 2.5], "values": [[1, 1], [1], [1, 1]]}""");
            assertViolation(result, "spec.boundaries[0]", "min");
            assertViolation(result, "spec.boundaries[2]", "increasing");
            assertViolation(result, "spec.boundaries[3]", "increasing");
            assertViolation(result, "spec.boundaries[4]", "type");
            assertViolation(result, "spec.values", "size");
            assertViolation(result, "spec.values[1]", "same-length");
            assertViolation(
                    rejectedSpec("{\"type\": \"piecewise\", \"boundaries\": [2], \"values\": [[1], [0]]}"),
                    "spec.values[1]",
                    "any-positive");
        }

        @Test
        void dwaTemperatureIsAPositiveNumber() {
            assertViolation(rejectedSpec("{\"type\": \"dwa\", \"temperature\": 0}"), "spec.temperature", "positive");
            assertViolation(rejectedSpec("{\"type\": \"dwa\", \"temperature\": \"hot\"}"), "spec.temperature", "type");
        }

        @Test
        void uncertaintyInitialLogVarianceIsFiniteAndModerate() {
            assertViolation(
                    rejectedSpec("{\"type\": \"uncertainty\", \"initialLogVariance\": 100}"),
                    "spec.initialLogVariance",
                    "range");
            assertViolation(
                    rejectedSpec("{\"type\": \"uncertainty\", \"initialLogVariance\": 1e400}"),
                    "spec.initialLogVariance",
                    "range");
        }

        @Test
        void everyBrokenRuleInOneResponse() {
            MvcTestResult result = rejected("""
                    {"name": "", "spec": {"type": "exponential", "initial": [-1, 1], "gamma": [3], "unit": "day"}}""");

            assertThat(result).bodyJson().extractingPath("$.errors.length()").isEqualTo(5);
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:fulcrum:problem:invalid-input");
        }

        @Test
        void malformedJsonAndWrongTypes() {
            assertViolation(rejected("{\"name\": \"broken\", \"spec\": {"), "$", "malformed-json");
            assertViolation(rejected(""), "$", "malformed-json");
            assertViolation(rejected("{\"name\": {\"a\": 1}, \"spec\": " + EQUAL + "}"), "name", "type");
        }
    }
}
