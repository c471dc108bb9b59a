package io.fulcrum.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * A tiny synthetic dataset (two regression labels y1, y2 over 8 dense features) and task groups over
 * it, created once through the API and shared by the experiment tests.
 */
public final class ExperimentFixtures {

    private static Long datasetId;
    private static Long taskGroupId;

    private final MockMvcTester mvc;

    public ExperimentFixtures(MockMvcTester mvc) {
        this.mvc = mvc;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public synchronized long dataset() {
        if (datasetId == null) {
            datasetId = create("/api/datasets", """
                    {"name": "%s", "kind": "SYNTHETIC",
                     "spec": {"correlation": 0.8, "samples": 2400, "dimension": 8, "seed": 11}}""".formatted(unique("runs-syn")));
        }
        return datasetId;
    }

    public synchronized long taskGroup() {
        if (taskGroupId == null) {
            taskGroupId = create("/api/task-groups", """
                    {"name": "%s", "tasks": [
                      {"name": "y1", "kind": "REGRESSION", "labelColumn": "y1"},
                      {"name": "y2", "kind": "REGRESSION", "labelColumn": "y2"}]}""".formatted(unique("syn-tasks")));
        }
        return taskGroupId;
    }

    long taskGroup(String tasksJson) {
        return create("/api/task-groups", """
                {"name": "%s", "tasks": %s}""".formatted(unique("group"), tasksJson));
    }

    /** A small MMoE run body; {@code extra} is spliced into the top-level object. */
    public String run(String model, String training, String extra) {
        return """
                {"taskGroupId": %d, "datasetId": %d, "model": %s, "training": %s%s}""".formatted(taskGroup(), dataset(), model, training, extra.isEmpty() ? "" : ", " + extra);
    }

    public static final String SMALL_MMOE = """
            {"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]}""";
    public static final String QUICK = """
            {"epochs": 2, "batchSize": 256, "learningRate": 0.01}""";

    public MvcTestResult post(String uri, String json) {
        return mvc.post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    public long create(String uri, String json) {
        MvcTestResult result = post(uri, json);
        assertThat(result).hasStatus(HttpStatus.CREATED);
        return ((Number) JsonPath.read(body(result), "$.id")).longValue();
    }

    public static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String get(String uri, Object... vars) {
        MvcTestResult result = mvc.get().uri(uri, vars).exchange();
        assertThat(result).hasStatus(HttpStatus.OK);
        return body(result);
    }

    String runState(long id) {
        return JsonPath.read(get("/api/runs/{id}", id), "$.state");
    }

    /** Polls the run until {@code done} holds for its JSON, or fails after the timeout. */
    /** The study's JSON once every run has ended (SUCCEEDED, FAILED or CANCELLED), within four minutes. */
    public String awaitStudy(long id) {
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (true) {
            String json = get("/api/studies/{id}", id);
            List<String> states = JsonPath.read(json, "$.runs[*].state");
            if (states.stream().allMatch(s -> s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED"))) {
                return json;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("study " + id + " did not finish: " + json);
            }
            sleep(250);
        }
    }

    public String awaitRun(long id, Duration timeout, Predicate<String> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String json = get("/api/runs/{id}", id);
        while (!done.test(json)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " did not get there in " + timeout + ": " + json);
            }
            sleep(100);
            json = get("/api/runs/{id}", id);
        }
        return json;
    }

    public static Predicate<String> inState(String... states) {
        return json -> java.util.Arrays.asList(states).contains(JsonPath.<String>read(json, "$.state"));
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
