package io.fulcrum.taskgroup;

import static io.fulcrum.taskgroup.TaskGroupJson.binaryTask;
import static io.fulcrum.taskgroup.TaskGroupJson.group;
import static io.fulcrum.taskgroup.TaskGroupJson.regressionTask;
import static io.fulcrum.taskgroup.TaskGroupJson.taskInSpaceOf;
import static org.assertj.core.api.Assertions.assertThat;

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
class TaskGroupApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    MvcTestResult post(String json) {
        return mvc.post()
                .uri("/api/task-groups")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    MvcTestResult put(long id, String json) {
        return mvc.put()
                .uri("/api/task-groups/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    long create(String json) {
        MvcTestResult result = post(json);
        assertThat(result).hasStatus(HttpStatus.CREATED);
        return idOf(result);
    }

    static long idOf(MvcTestResult result) {
        return Long.parseLong(result.getResponse().getHeader("Location").replaceAll(".*/", ""));
    }

    int storedGroups() {
        return jdbc.queryForObject("SELECT count(*) FROM task_group", Integer.class);
    }

    int storedTasks() {
        return jdbc.queryForObject("SELECT count(*) FROM task", Integer.class);
    }

    @Nested
    class Creating {

        @Test
        void createsTaskGroupWithDefaultsFilledIn() {
            String name = uniqueName("ctr-cvr");

            MvcTestResult result = post(group(name, binaryTask("ctr"), taskInSpaceOf("cvr", "ctr")));

            assertThat(result).hasStatus(HttpStatus.CREATED).hasHeader("Location", "/api/task-groups/" + idOf(result));
            assertThat(result).bodyJson().extractingPath("$.name").isEqualTo(name);
            assertThat(result).bodyJson().extractingPath("$.tasks[0].loss").isEqualTo("BCE");
            assertThat(result).bodyJson().extractingPath("$.tasks[0].metric").isEqualTo("AUC");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.tasks[0].initialWeight")
                    .isEqualTo(1.0);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.tasks[0].updateRatio")
                    .isEqualTo(1.0);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.tasks[1].sampleSpace.task")
                    .isEqualTo("ctr");
        }

        @Test
        void keepsExplicitLossMetricAndWeights() {
            MvcTestResult result = post(group(uniqueName("reg"), regressionTask("y1"), regressionTask("y2")));

            assertThat(result).hasStatus(HttpStatus.CREATED);
            assertThat(result).bodyJson().extractingPath("$.tasks[1].metric").isEqualTo("MAE");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.tasks[1].initialWeight")
                    .isEqualTo(0.5);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.tasks[1].updateRatio")
                    .isEqualTo(0.9);
        }

        @Test
        void acceptsASampleSpaceGivenByColumn() {
            String json = group(uniqueName("video"), binaryTask("vtr"), """
                    {"name": "shr", "kind": "binary", "labelColumn": "share", "sampleSpace": {"column": "click"}}""");

            MvcTestResult result = post(json);

            assertThat(result).hasStatus(HttpStatus.CREATED);
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.tasks[1].sampleSpace.column")
                    .isEqualTo("click");
            assertThat(result).bodyJson().extractingPath("$.tasks[1].kind").isEqualTo("BINARY");
        }
    }

    @Nested
    class Reading {

        @Test
        void getsOneTaskGroup() {
            String name = uniqueName("get");
            long id = create(group(name, binaryTask("a"), binaryTask("b")));

            MvcTestResult result = mvc.get().uri("/api/task-groups/{id}", id).exchange();

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.id").isEqualTo((int) id);
            assertThat(result).bodyJson().extractingPath("$.tasks.length()").isEqualTo(2);
        }

        @Test
        void listsTaskGroupsByPage() {
            for (int i = 0; i < 3; i++) {
                create(group(uniqueName("page"), binaryTask("a"), binaryTask("b")));
            }
            int total = storedGroups();

            MvcTestResult first =
                    mvc.get().uri("/api/task-groups?page=0&size=2").exchange();
            MvcTestResult last = mvc.get()
                    .uri("/api/task-groups?page={page}&size=2", (total - 1) / 2)
                    .exchange();

            assertThat(first).hasStatusOk();
            assertThat(first).bodyJson().extractingPath("$.items.length()").isEqualTo(2);
            assertThat(first).bodyJson().extractingPath("$.totalItems").isEqualTo(total);
            assertThat(first).bodyJson().extractingPath("$.totalPages").isEqualTo((total + 1) / 2);
            assertThat(last).bodyJson().extractingPath("$.items.length()").isEqualTo(total % 2 == 0 ? 2 : 1);
        }

        @Test
        void answersNotFoundForAnUnknownGroup() {
            MvcTestResult result = mvc.get().uri("/api/task-groups/999999999").exchange();

            assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("Task group 999999999 does not exist");
        }

        @Test
        void rejectsBadPaging() {
            MvcTestResult result =
                    mvc.get().uri("/api/task-groups?page=-1&size=500").exchange();

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[*].field").isEqualTo(List.of("page", "size"));
        }

        @Test
        void rejectsANonNumericPageParameter() {
            MvcTestResult result = mvc.get().uri("/api/task-groups?page=two").exchange();

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("page");
            assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("type");
        }
    }

    @Nested
    class Replacing {

        @Test
        void replacesNameAndAllTasks() {
            long id = create(group(uniqueName("before"), binaryTask("a"), binaryTask("b")));
            String newName = uniqueName("after");

            MvcTestResult result = put(id, group(newName, binaryTask("b"), regressionTask("c"), binaryTask("a")));

            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.name").isEqualTo(newName);
            assertThat(result).bodyJson().extractingPath("$.tasks[*].name").isEqualTo(List.of("b", "c", "a"));
            assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM task WHERE task_group_id = ?", Integer.class, id))
                    .isEqualTo(3);
        }

        @Test
        void rejectsTakingAnotherGroupsName() {
            String taken = uniqueName("taken");
            create(group(taken, binaryTask("a"), binaryTask("b")));
            long id = create(group(uniqueName("mine"), binaryTask("a"), binaryTask("b")));

            MvcTestResult result = put(id, group(taken.toUpperCase(), binaryTask("a"), binaryTask("b")));

            assertThat(result).hasStatus(HttpStatus.CONFLICT);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("name");
        }

        @Test
        void leavesTheGroupUntouchedWhenTheReplacementIsInvalid() {
            String name = uniqueName("keep");
            long id = create(group(name, binaryTask("a"), binaryTask("b")));

            MvcTestResult result = put(id, group(name, binaryTask("a"), binaryTask("a")));

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(mvc.get().uri("/api/task-groups/{id}", id))
                    .bodyJson()
                    .extractingPath("$.tasks[*].name")
                    .isEqualTo(List.of("a", "b"));
        }

        @Test
        void answersNotFoundForAnUnknownGroup() {
            assertThat(put(999999999L, group("x", binaryTask("a")))).hasStatus(HttpStatus.NOT_FOUND);
        }
    }

    @Nested
    class Deleting {

        @Test
        void deletesAGroupAndItsTasks() {
            long id = create(group(uniqueName("gone"), binaryTask("a"), binaryTask("b")));

            assertThat(mvc.delete().uri("/api/task-groups/{id}", id)).hasStatus(HttpStatus.NO_CONTENT);

            assertThat(mvc.get().uri("/api/task-groups/{id}", id)).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM task WHERE task_group_id = ?", Integer.class, id))
                    .isZero();
        }

        @Test
        void refusesWhileSomethingReferencesTheGroup() {
            long id = create(group(uniqueName("used"), binaryTask("a"), binaryTask("b")));
            jdbc.execute("CREATE TABLE reference_probe (task_group_id BIGINT REFERENCES task_group (id))");
            try {
                jdbc.update("INSERT INTO reference_probe VALUES (?)", id);

                MvcTestResult result =
                        mvc.delete().uri("/api/task-groups/{id}", id).exchange();

                assertThat(result).hasStatus(HttpStatus.CONFLICT);
                assertThat(result)
                        .bodyJson()
                        .extractingPath("$.detail")
                        .asString()
                        .contains("'reference_probe'");
                assertThat(mvc.get().uri("/api/task-groups/{id}", id)).hasStatusOk();
            } finally {
                jdbc.execute("DROP TABLE reference_probe");
            }
        }

        @Test
        void answersNotFoundForAnUnknownGroup() {
            assertThat(mvc.delete().uri("/api/task-groups/999999999")).hasStatus(HttpStatus.NOT_FOUND);
        }
    }

    @Nested
    class RejectingBadInput {

        MvcTestResult rejected(String json) {
            int groups = storedGroups();
            int tasks = storedTasks();
            MvcTestResult result = post(json);
            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(storedGroups()).as("no group saved").isEqualTo(groups);
            assertThat(storedTasks()).as("no task saved").isEqualTo(tasks);
            return result;
        }

        void assertViolation(MvcTestResult result, String field, String rule) {
            assertThat(errors(result)).as("errors of %s", body(result)).anySatisfy(error -> {
                assertThat(error.get("field")).isEqualTo(field);
                assertThat(error.get("rule")).isEqualTo(rule);
                assertThat(error.get("message")).isNotBlank();
            });
        }

        String message(MvcTestResult result, String field, String rule) {
            return errors(result).stream()
                    .filter(e -> e.get("field").equals(field) && e.get("rule").equals(rule))
                    .map(e -> e.get("message"))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("no " + rule + " violation of " + field + " in " + body(result)));
        }

        List<Map<String, String>> errors(MvcTestResult result) {
            return JsonPath.read(body(result), "$.errors");
        }

        String body(MvcTestResult result) {
            try {
                return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
            } catch (UnsupportedEncodingException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Test
        void missingAndBlankNames() {
            MvcTestResult result = rejected("""
                    {"name": "  ", "tasks": [{"kind": "BINARY", "labelColumn": "c"}, {"name": "", "kind": "BINARY", "labelColumn": "d"}]}""");

            assertViolation(result, "name", "required");
            assertViolation(result, "tasks[0].name", "required");
            assertViolation(result, "tasks[1].name", "required");
        }

        @Test
        void missingTasks() {
            assertViolation(rejected("{\"name\": \"no tasks\"}"), "tasks", "min-size");
            assertViolation(rejected("{\"name\": \"empty tasks\", \"tasks\": []}"), "tasks", "min-size");
        }

        @Test
        void duplicateGroupNameIsAConflict() {
            String name = uniqueName("twice");
            create(group(name, binaryTask("a"), binaryTask("b")));
            int groups = storedGroups();

            MvcTestResult result = post(group(name.toUpperCase(), binaryTask("a"), binaryTask("b")));

            assertThat(result).hasStatus(HttpStatus.CONFLICT);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("name");
            assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("unique");
            assertThat(storedGroups()).isEqualTo(groups);
        }

        @Test
        void duplicateTaskNameWithinAGroup() {
            assertViolation(
                    rejected(group("dup tasks", binaryTask("ctr"), binaryTask("cvr"), binaryTask("ctr"))),
                    "tasks[2].name",
                    "unique");
        }

        @Test
        void unknownKind() {
            MvcTestResult result = rejected(group("bad kind", binaryTask("a"), """
                    {"name": "b", "kind": "RANKING", "labelColumn": "b"}"""));

            assertViolation(result, "tasks[1].kind", "one-of");
        }

        @Test
        void lossThatDoesNotFitTheKind() {
            MvcTestResult result = rejected(group("bad loss", """
                    {"name": "a", "kind": "BINARY", "labelColumn": "a", "loss": "MSE"}""", """
                    {"name": "b", "kind": "REGRESSION", "labelColumn": "b", "loss": "BCE"}""", """
                    {"name": "c", "kind": "REGRESSION", "labelColumn": "c", "loss": "HINGE"}"""));

            assertViolation(result, "tasks[0].loss", "fits-kind");
            assertViolation(result, "tasks[1].loss", "fits-kind");
            assertViolation(result, "tasks[2].loss", "one-of");
        }

        @Test
        void metricThatDoesNotFitTheKind() {
            MvcTestResult result = rejected(group("bad metric", """
                    {"name": "a", "kind": "BINARY", "labelColumn": "a", "metric": "MSE"}""", """
                    {"name": "b", "kind": "REGRESSION", "labelColumn": "b", "metric": "AUC"}"""));

            assertViolation(result, "tasks[0].metric", "fits-kind");
            assertViolation(result, "tasks[1].metric", "fits-kind");
        }

        @Test
        void sampleSpaceNamingAnUnknownTask() {
            assertViolation(
                    rejected(group("unknown space", binaryTask("ctr"), taskInSpaceOf("cvr", "click"))),
                    "tasks[1].sampleSpace.task",
                    "known-task");
        }

        @Test
        void sampleSpaceNamingBothOrNeither() {
            MvcTestResult result = rejected(group("ambiguous space", binaryTask("ctr"), """
                    {"name": "b", "kind": "BINARY", "labelColumn": "b", "sampleSpace": {"task": "ctr", "column": "click"}}""", """
                    {"name": "c", "kind": "BINARY", "labelColumn": "c", "sampleSpace": {}}"""));

            assertViolation(result, "tasks[1].sampleSpace", "exactly-one");
            assertViolation(result, "tasks[2].sampleSpace", "exactly-one");
        }

        @Test
        void cycleOfSampleSpaceConditions() {
            MvcTestResult result = rejected(group(
                    "cycle",
                    taskInSpaceOf("a", "c"),
                    taskInSpaceOf("b", "a"),
                    taskInSpaceOf("c", "b"),
                    taskInSpaceOf("d", "d")));

            assertViolation(result, "tasks[0].sampleSpace.task", "acyclic");
            assertViolation(result, "tasks[3].sampleSpace.task", "acyclic");
            assertThat(message(result, "tasks[0].sampleSpace.task", "acyclic")).contains("a → c → b → a");
        }

        @Test
        void nonPositiveInitialWeightAndUpdateRatio() {
            MvcTestResult result = rejected(group("weights", """
                    {"name": "a", "kind": "BINARY", "labelColumn": "a", "initialWeight": 0, "updateRatio": -0.5}""", """
                    {"name": "b", "kind": "BINARY", "labelColumn": "b", "initialWeight": -1, "updateRatio": 0}"""));

            assertViolation(result, "tasks[0].initialWeight", "positive");
            assertViolation(result, "tasks[0].updateRatio", "positive");
            assertViolation(result, "tasks[1].initialWeight", "positive");
            assertViolation(result, "tasks[1].updateRatio", "positive");
        }

        @Test
        void everyBrokenRuleInOneResponse() {
            MvcTestResult result = rejected("""
                    {"name": "", "tasks": [
                      {"name": "a", "kind": "REGRESSION", "labelColumn": "a", "loss": "BCE", "initialWeight": 0},
                      {"name": "a", "kind": "SOMETHING", "labelColumn": ""}]}""");

            assertThat(result).bodyJson().extractingPath("$.errors.length()").isEqualTo(6);
            assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Invalid input");
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:fulcrum:problem:invalid-input");
        }

        @Test
        void malformedJson() {
            MvcTestResult result = rejected("{\"name\": \"broken\", \"tasks\": [");

            assertViolation(result, "$", "malformed-json");
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:fulcrum:problem:malformed-request");
        }

        @Test
        void valueOfTheWrongType() {
            MvcTestResult result = rejected(group("types", """
                    {"name": "a", "kind": "BINARY", "labelColumn": "a", "initialWeight": "heavy"}"""));

            assertThat(message(result, "tasks[0].initialWeight", "type")).isEqualTo("must be a number");
        }

        @Test
        void missingBody() {
            assertViolation(rejected(""), "$", "malformed-json");
        }

        @Test
        void wrongContentType() {
            int groups = storedGroups();

            MvcTestResult result = mvc.post()
                    .uri("/api/task-groups")
                    .contentType(MediaType.TEXT_PLAIN)
                    .content(group("text", binaryTask("a")))
                    .exchange();

            assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
            assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("Content-Type");
            assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("supported-media-type");
            assertThat(storedGroups()).isEqualTo(groups);
        }
    }
}
