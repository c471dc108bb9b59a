package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.experiment.ExperimentFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * A tiny but real serving setup shared by the rollout tests: a small video-simulator dataset, the
 * VTR+VCR tasks, two tiny PLE runs (two seeds) trained by the embedded worker and registered as
 * versions 1 and 2 of one model. Each test makes its own surfaces and moves aliases as it needs.
 */
public final class ServingFixtures {

    static final int USERS = 120;
    static final int VIDEOS = 80;

    private static Long datasetId;
    private static String modelName;
    private static List<Long> runIds;

    private final MockMvcTester mvc;
    private final ExperimentFixtures fx;

    ServingFixtures(MockMvcTester mvc) {
        this.mvc = mvc;
        this.fx = new ExperimentFixtures(mvc);
    }

    synchronized long dataset() {
        if (datasetId == null) {
            datasetId = fx.create("/api/datasets", """
                    {"name": "%s", "kind": "VIDEO_SIMULATOR",
                     "spec": {"impressions": 3000, "worldSeed": 5, "streamSeed": 6,
                              "world": {"population": {"users": %d, "videos": %d, "categories": 6, "latentDimension": 2}}}}""".formatted(unique("serving-video"), USERS, VIDEOS));
        }
        return datasetId;
    }

    /** The model with versions 1 and 2 (tiny PLEs of seeds 1 and 2); no alias is set here. */
    synchronized String model() {
        if (modelName == null) {
            long group = fx.create("/api/task-groups", """
                    {"name": "%s", "tasks": [
                      {"name": "vtr", "kind": "BINARY", "labelColumn": "valid_view"},
                      {"name": "vcr", "kind": "REGRESSION", "labelColumn": "completion_ratio"}]}""".formatted(unique("serving-tasks")));
            List<Long> runs = new ArrayList<>();
            for (int seed = 1; seed <= 2; seed++) {
                runs.add(fx.create("/api/runs", """
                        {"taskGroupId": %d, "datasetId": %d,
                         "model": {"architecture": "ple", "levels": 1, "experts": {"shared": 1, "perTask": 1, "units": [8]},
                                   "towerUnits": [8]},
                         "training": {"epochs": 2, "batchSize": 256, "learningRate": 0.01, "maxEmbeddingDim": 4,
                                      "seed": %d}}""".formatted(group, dataset(), seed)));
            }
            String name = unique("ranker");
            for (long run : runs) {
                String done = fx.awaitRun(run, Duration.ofSeconds(180), inState("SUCCEEDED", "FAILED", "CANCELLED"));
                assertThat(JsonPath.<String>read(done, "$.state")).as(done).isEqualTo("SUCCEEDED");
                MvcTestResult registered = fx.post("/api/models/" + name + "/versions", "{\"runId\": " + run + "}");
                assertThat(registered).hasStatus(HttpStatus.CREATED);
            }
            runIds = List.copyOf(runs);
            modelName = name;
        }
        return modelName;
    }

    /** The SUCCEEDED runs behind versions 1 and 2 of {@link #model()}. */
    List<Long> runs() {
        model();
        return runIds;
    }

    /** Another model registering the given runs as its versions 1, 2, …; no alias set. */
    String modelOf(long... runs) {
        String name = unique("ranker");
        for (long run : runs) {
            assertThat(fx.post("/api/models/" + name + "/versions", "{\"runId\": " + run + "}"))
                    .hasStatus(HttpStatus.CREATED);
        }
        return name;
    }

    void setChampion(String model, int version) {
        MvcTestResult moved = mvc.put()
                .uri("/api/models/{name}/aliases/champion", model)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\": " + version + "}")
                .exchange();
        assertThat(moved).hasStatus(HttpStatus.OK);
    }

    void removeChampion(String model) {
        MvcTestResult removed =
                mvc.delete().uri("/api/models/{name}/aliases/champion", model).exchange();
        assertThat(removed).hasStatus(HttpStatus.NO_CONTENT);
    }

    /** A new surface on the model with the given scoring JSON; returns its name. */
    String surface(String model, String scoringJson) {
        String name = unique("feed");
        MvcTestResult created = fx.post("/api/surfaces", """
                {"name": "%s", "modelName": "%s", "scoring": %s}""".formatted(name, model, scoringJson));
        assertThat(created).as(body(created)).hasStatus(HttpStatus.CREATED);
        return name;
    }

    long surfaceId(String name) {
        return ((Number) JsonPath.read(fx.get("/api/surfaces/{name}", name), "$.id")).longValue();
    }

    /** A user's context: the user's own features plus the hour and device. */
    static Map<String, Object> context(int user) {
        return Map.of(
                "user_id",
                user,
                "scenario",
                0,
                "device",
                1,
                "hour",
                20,
                "user_activity",
                0.8,
                "user_profile_0",
                0.3,
                "user_profile_1",
                -0.2);
    }

    /** Candidate {@code video}'s features, varied so that the model scores them differently. */
    public static Map<String, Object> item(int video) {
        return Map.of(
                "video_id",
                video,
                "category",
                video % 6,
                "video_length_log",
                Math.log(20 + 7 * video),
                "video_popularity",
                (video % 9) / 9.0,
                "video_profile_0",
                Math.sin(video),
                "video_profile_1",
                Math.cos(video));
    }
}
