package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Gradient balancing is chosen per model: a study compares PLE with and without it against the same
 * single-task baselines, which never balance; misplaced or impossible balancing is refused.
 */
@FulcrumSpringTest
class BalancedStudyTests {

    @Autowired
    MockMvcTester mvc;

    @Test
    void aStudyComparesAModelWithAndWithoutBalancing() {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        MvcTestResult created =
                fx.post("/api/studies", """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d, "seeds": [1],
                 "models": [{"architecture": "ple", "experts": {"units": [8]}, "towerUnits": [8]},
                            {"architecture": "ple", "name": "ple-pcgrad", "experts": {"units": [8]}, "towerUnits": [8],
                             "balancing": {"method": "pcgrad"}},
                            {"architecture": "mmoe", "name": "mmoe-gradnorm", "experts": {"units": [8]},
                             "towerUnits": [8], "balancing": {"method": "gradnorm", "alpha": 0.5}}],
                 "training": {"epochs": 2, "batchSize": 256, "learningRate": 0.01}}""".formatted(unique("balanced"), fx.taskGroup(), fx.dataset()));
        assertThat(created).as(body(created)).hasStatus(HttpStatus.CREATED);
        long study = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        String done = fx.awaitStudy(study);
        assertThat(JsonPath.<List<String>>read(done, "$.runs[*].state"))
                .as(done)
                .containsOnly("SUCCEEDED");

        Map<String, String> byModel = new java.util.HashMap<>();
        for (Map<String, Object> run : JsonPath.<List<Map<String, Object>>>read(done, "$.runs[*]")) {
            byModel.put((String) run.get("model"), fx.get("/api/runs/{id}", ((Number) run.get("id")).longValue()));
        }
        assertThat(JsonPath.<String>read(byModel.get("ple-pcgrad"), "$.training.balancing.method"))
                .isEqualTo("pcgrad");
        assertThat(JsonPath.<Double>read(byModel.get("mmoe-gradnorm"), "$.training.balancing.alpha"))
                .isEqualTo(0.5);
        for (String plain : List.of("ple", "single")) {
            assertThat(JsonPath.<Map<String, Object>>read(byModel.get(plain), "$.training"))
                    .as(plain)
                    .doesNotContainKey("balancing");
        }
        // GradNorm's learned weights are the run's reported loss weights: they left 1
        String weights = fx.get(
                "/api/runs/{id}/metrics?name=weight&task=y1",
                JsonPath.<Number>read(byModel.get("mmoe-gradnorm"), "$.id").longValue());
        List<Double> values = JsonPath.read(weights, "$[0].points[*].value");
        assertThat(values.get(values.size() - 1)).isNotEqualTo(1.0);

        String comparison = fx.get("/api/studies/{id}/comparison", study);
        assertThat(JsonPath.<List<String>>read(comparison, "$.models[*].model"))
                .containsExactly("single", "ple", "ple-pcgrad", "mmoe-gradnorm");
    }

    @Test
    void balancingIsRefusedWhereItCannotApply() {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        MvcTestResult result = fx.post("/api/studies", """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d, "seeds": [1],
                 "models": [{"architecture": "single", "name": "alone", "balancing": {"method": "pcgrad"}},
                            {"architecture": "ple", "balancing": {"method": "adam", "c": 2}}],
                 "training": {"balancing": {"method": "cagrad"}}}""".formatted(unique("refused"), fx.taskGroup(), fx.dataset()));
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
        assertThat(errors)
                .as(body(result))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("field", "models[0].balancing")
                        .containsEntry("rule", "shares-parameters"))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("field", "models[1].balancing.method")
                        .containsEntry("rule", "one-of"))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("field", "models[1].balancing.c")
                        .containsEntry("rule", "range"))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("field", "training.balancing")
                        .containsEntry("rule", "read-only"));
    }
}
