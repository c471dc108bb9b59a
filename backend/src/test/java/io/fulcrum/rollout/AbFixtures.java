package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.experiment.ExperimentFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * What an A/B experiment needs around it: a registered model with two versions (two seeds of a tiny
 * MMoE over tasks y1 and y2, trained once per JVM) and a surface that serves it. Surfaces are rows
 * written with SQL, since their API belongs to another part of the rollout module.
 */
public final class AbFixtures {

    /** The surface's default scoring: every task counts, no length factor. */
    public static final String DEFAULT_SCORING =
            "{\"exponents\": {\"y1\": 1.0, \"y2\": 1.0}, \"lengthTransform\": {\"type\": \"none\"}}";

    private static List<Long> trainedRuns;

    private final MockMvcTester mvc;
    private final JdbcTemplate jdbc;
    private final ExperimentFixtures fx;

    public AbFixtures(MockMvcTester mvc, JdbcTemplate jdbc) {
        this.mvc = mvc;
        this.jdbc = jdbc;
        this.fx = new ExperimentFixtures(mvc);
    }

    /** Two SUCCEEDED runs of the same small MMoE with different seeds. */
    public synchronized List<Long> runs() {
        if (trainedRuns == null) {
            List<Long> ids = new ArrayList<>();
            for (long seed = 1; seed <= 2; seed++) {
                String training = QUICK.replace("}", ", \"seed\": " + seed + "}");
                ids.add(fx.create("/api/runs", fx.run(SMALL_MMOE, training, "\"priority\": 100")));
            }
            for (long id : ids) {
                String done = fx.awaitRun(id, Duration.ofSeconds(180), inState("SUCCEEDED", "FAILED", "CANCELLED"));
                assertThat(JsonPath.<String>read(done, "$.state")).as(done).isEqualTo("SUCCEEDED");
            }
            trainedRuns = ids;
        }
        return trainedRuns;
    }

    /** A new model with versions 1 and 2 (the two runs), registered through the registry's API. */
    public String modelWithTwoVersions() {
        String name = ExperimentFixtures.unique("ab-model");
        for (long run : runs()) {
            MvcTestResult result = fx.post("/api/models/" + name + "/versions", "{\"runId\": " + run + "}");
            assertThat(result).hasStatus(HttpStatus.CREATED);
        }
        return name;
    }

    /** A new surface serving {@code model} with {@link #DEFAULT_SCORING}; returns its name. */
    public String surface(String model) {
        String name = ExperimentFixtures.unique("feed");
        jdbc.update(
                "INSERT INTO surface (name, model_name, scoring, created_at, updated_at)"
                        + " VALUES (?, ?, ?::jsonb, now(), now())",
                name,
                model,
                DEFAULT_SCORING);
        return name;
    }

    public long surfaceId(String surface) {
        return jdbc.queryForObject("SELECT id FROM surface WHERE name = ?", Long.class, surface);
    }

    /**
     * A valid experiment body: control on version 1, treatment on version 2 with other exponents and a
     * sigmoid length factor, 500 bps each, and a three-step ramp plan.
     */
    public static String experiment(String name, String surface) {
        return """
                {"name": "%s", "surface": "%s", "description": "v2 against v1",
                 "targetMetric": "watch_time_per_user",
                 "guardrails": [{"metric": "play_rate", "maxRelativeDrop": 0.02},
                                {"metric": "p99_latency_ms", "maxMillis": 20, "alpha": 0.01}],
                 "rampPlan": [{"percent": 5, "minDuration": "PT1H"}, {"percent": 20, "minDuration": "PT6H"},
                              {"percent": 100, "minDuration": "P1D"}],
                 "variants": [
                   {"name": "control", "control": true, "modelVersion": 1, "allocationBps": 500,
                    "scoring": {"exponents": {"y1": 1.0, "y2": 1.0}, "lengthTransform": {"type": "none"}}},
                   {"name": "treatment", "control": false, "modelVersion": 2, "allocationBps": 500,
                    "scoring": {"exponents": {"y1": 2.0, "y2": 0.5},
                                "lengthTransform": {"type": "sigmoid", "center": 30, "scale": 10}}}]}""".formatted(name, surface);
    }

    /** Creates the {@link #experiment} body on the surface and starts it; returns its id. */
    public long createAndStart(String surface) {
        MvcTestResult created = fx.post("/api/ab-experiments", experiment(ExperimentFixtures.unique("exp"), surface));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(ExperimentFixtures.body(created), "$.id")).longValue();
        assertThat(fx.post("/api/ab-experiments/" + id + "/start", "{}")).hasStatus(HttpStatus.OK);
        return id;
    }
}
