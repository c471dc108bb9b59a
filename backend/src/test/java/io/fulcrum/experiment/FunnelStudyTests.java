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
 * ESMM and AITM through the platform: a task group whose share task lives in the click task's space
 * is a funnel, so both train on it in a study and every run reports the joint (CTSR) metrics of the
 * following task; a group without a funnel is refused with the rule named.
 */
@FulcrumSpringTest
class FunnelStudyTests {

    @Autowired
    MockMvcTester mvc;

    @Test
    void funnelArchitecturesTrainInAStudyAndEveryRunReportsTheJointAuc() {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        long dataset = fx.create("/api/datasets", """
                {"name": "%s", "kind": "VIDEO_SIMULATOR",
                 "spec": {"impressions": 6000, "world": {"population": {"users": 300, "videos": 150}}},
                 "split": {"by": "random", "seed": 1}}""".formatted(unique("funnel")));
        long group = fx.taskGroup("""
                [{"name": "ctr", "kind": "BINARY", "labelColumn": "click"},
                 {"name": "shr", "kind": "BINARY", "labelColumn": "share", "sampleSpace": {"task": "ctr"}}]""");
        MvcTestResult created = fx.post("/api/studies", """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d, "seeds": [1],
                 "models": [{"architecture": "esmm", "bottomUnits": [16], "towerUnits": [8]},
                            {"architecture": "aitm", "towerUnits": [8], "calibratorWeight": 0.3},
                            {"architecture": "ple", "experts": {"units": [8]}, "towerUnits": [8], "expertNorm": true}],
                 "training": {"epochs": 2, "batchSize": 256, "learningRate": 0.01}}""".formatted(unique("funnel"), group, dataset));
        assertThat(created).as(body(created)).hasStatus(HttpStatus.CREATED);
        long study = ((Number) JsonPath.read(body(created), "$.id")).longValue();

        String done = fx.awaitStudy(study);
        assertThat(JsonPath.<List<String>>read(done, "$.runs[*].state"))
                .as(done)
                .containsOnly("SUCCEEDED");
        for (Map<String, Object> run : JsonPath.<List<Map<String, Object>>>read(done, "$.runs[*]")) {
            String json = fx.get("/api/runs/{id}", ((Number) run.get("id")).longValue());
            // the joint probability is scored on every impression of the test split, where ctr is
            assertThat(JsonPath.<Integer>read(json, "$.result.test.shr.jointSamples"))
                    .as("%s", run.get("model"))
                    .isEqualTo(JsonPath.<Integer>read(json, "$.result.test.ctr.samples"))
                    .isGreaterThan(JsonPath.<Integer>read(json, "$.result.test.shr.samples"));
            assertThat(JsonPath.<Object>read(json, "$.result.test.shr.jointAuc"))
                    .isNotNull();
            assertThat(JsonPath.<Map<String, Object>>read(json, "$.result.test.ctr"))
                    .doesNotContainKey("jointAuc");
            String points = fx.get(
                    "/api/runs/{id}/metrics?split=test&name=joint_auc&task=shr", ((Number) run.get("id")).longValue());
            assertThat(JsonPath.<List<?>>read(points, "$[0].points")).as(points).hasSize(1);
        }
        String ple = fx.get(
                "/api/runs/{id}",
                ((Number) JsonPath.<List<Number>>read(done, "$.runs[?(@.model == 'ple')].id")
                                .get(0))
                        .longValue());
        assertThat(JsonPath.<Boolean>read(ple, "$.model.expertNorm")).isTrue();
        // the funnel comes from the task group: shr's sample space is ctr's positives
        assertThat(JsonPath.<String>read(ple, "$.model.tasks[1].after")).isEqualTo("ctr");
    }

    @Test
    void aFunnelArchitectureOnATaskGroupWithoutAFunnelIsRefusedWithTheRule() {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        MvcTestResult result =
                fx.post("/api/studies", """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d, "seeds": [1],
                 "models": [{"architecture": "esmm"}]}""".formatted(unique("no-funnel"), fx.taskGroup(), fx.dataset()));
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
        assertThat(errors)
                .as(body(result))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("field", "models[0].architecture")
                        .containsEntry("rule", "funnel"));
    }
}
