package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** "matchParameters": every model of a study trained at the same parameter count; the baselines as they are. */
@FulcrumSpringTest
class StudyParameterMatchingTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    String study(String name, String matching) {
        return """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d,
                 "models": [{"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]},
                            {"architecture": "ple", "experts": {"shared": 2, "perTask": 2, "units": [16]}, "towerUnits": [8]}],
                 "seeds": [1], "training": {"epochs": 1, "batchSize": 256, "learningRate": 0.01}%s}""".formatted(name, fx.taskGroup(), fx.dataset(), matching);
    }

    private List<Number> trainedParameters(long id) {
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (true) {
            String comparison = fx.get("/api/studies/{id}/comparison", id);
            if (JsonPath.<Boolean>read(comparison, "$.complete")) {
                assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[*].seedsDone"))
                        .as(comparison)
                        .containsOnly(1);
                return JsonPath.read(comparison, "$.models[*].parameters");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("study " + id + " did not finish: " + comparison);
            }
            ExperimentFixtures.sleep(250);
        }
    }

    @Test
    void scalesEveryModelToTheLargestOrToTheBudgetAndLeavesTheBaselines() {
        // rows: single, mmoe, ple
        List<Number> unmatched = trainedParameters(fx.create("/api/studies", study(unique("as-asked"), "")));
        long mmoe = unmatched.get(1).longValue();
        long ple = unmatched.get(2).longValue();
        assertThat(ple).as("the models differ in size as asked").isGreaterThan((long) (mmoe * 1.2));

        List<Number> matched =
                trainedParameters(fx.create("/api/studies", study(unique("matched"), ", \"matchParameters\": true")));
        assertThat(matched.subList(1, 3))
                .allSatisfy(n -> assertThat(n.doubleValue()).isBetween(ple * 0.95, ple * 1.05));
        assertThat(matched.get(0)).isEqualTo(unmatched.get(0));

        long budget = 3 * ple;
        List<Number> budgeted = trainedParameters(fx.create(
                "/api/studies",
                study(unique("budget"), ", \"matchParameters\": true, \"parameterBudget\": " + budget)));
        assertThat(budgeted.subList(1, 3))
                .allSatisfy(n -> assertThat(n.doubleValue()).isBetween(budget * 0.95, budget * 1.05));
        assertThat(budgeted.get(0)).isEqualTo(unmatched.get(0));
    }

    @Test
    void refusesABudgetWithoutMatchingOrBelowTheSmallestModelAndWritesNothing() {
        int studies = jdbc.queryForObject("SELECT count(*) FROM study", Integer.class);
        int runs = jdbc.queryForObject("SELECT count(*) FROM run", Integer.class);

        MvcTestResult unmatched = fx.post("/api/studies", study(unique("no-match"), ", \"parameterBudget\": 5000"));
        assertThat(unmatched).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(JsonPath.<List<String>>read(body(unmatched), "$.errors[?(@.field == 'parameterBudget')].rule"))
                .containsExactly("requires");

        MvcTestResult tiny =
                fx.post("/api/studies", study(unique("tiny"), ", \"matchParameters\": true, \"parameterBudget\": 10"));
        assertThat(tiny).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(JsonPath.<List<String>>read(body(tiny), "$.errors[?(@.field == 'parameterBudget')].rule"))
                .containsExactly("buildable");
        assertThat(JsonPath.<String>read(body(tiny), "$.errors[0].message")).contains("above the budget 10");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM study", Integer.class))
                .isEqualTo(studies);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM run", Integer.class))
                .isEqualTo(runs);
    }
}
