package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.mtl.metric.SeesawVerdict;
import io.fulcrum.mtl.metric.TaskCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class StudyApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    String study(String name, String seeds) {
        return """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d,
                 "models": [{"architecture": "mmoe", "experts": {"shared": 3, "units": [8]}, "towerUnits": [8]},
                            {"architecture": "ple", "levels": 2, "experts": {"shared": 1, "perTask": 1, "units": [8]}, "towerUnits": [8]}],
                 "seeds": %s, "training": {"epochs": 2, "batchSize": 256, "learningRate": 0.01}}""".formatted(name, fx.taskGroup(), fx.dataset(), seeds);
    }

    static double number(String json, String path) {
        return JsonPath.<Number>read(json, path).doubleValue();
    }

    @Test
    void runsEveryModelAndBaselineAndComparesThem() {
        MvcTestResult created = fx.post("/api/studies", study(unique("ple-vs-mmoe"), "[1, 2, 3]"));

        assertThat(created).hasStatus(HttpStatus.CREATED);
        String json = body(created);
        assertThat(JsonPath.<List<?>>read(json, "$.runs")).hasSize(9);
        assertThat(JsonPath.<List<String>>read(json, "$.runs[*].model"))
                .containsExactlyInAnyOrder("mmoe", "ple", "single", "mmoe", "ple", "single", "mmoe", "ple", "single");
        long id = ((Number) JsonPath.read(json, "$.id")).longValue();

        String done = fx.awaitStudy(id);
        assertThat(JsonPath.<List<String>>read(done, "$.runs[*].state"))
                .as(done)
                .containsOnly("SUCCEEDED");

        String comparison = fx.get("/api/studies/{id}/comparison", id);
        assertThat(JsonPath.<Boolean>read(comparison, "$.complete")).isTrue();
        assertThat(JsonPath.<List<String>>read(comparison, "$.models[*].model"))
                .containsExactly("single", "mmoe", "ple");
        assertThat(JsonPath.<String>read(comparison, "$.metrics.y1.metric")).isEqualTo("MSE");
        assertThat(JsonPath.<Double>read(comparison, "$.tolerance")).isZero();
        assertThat(JsonPath.<String>read(comparison, "$.toleranceSpec")).isEqualTo("0");
        Map<String, Object> ple = JsonPath.read(comparison, "$.models[2]");
        assertThat(ple).containsEntry("seedsDone", 3).containsEntry("architecture", "ple");
        assertThat(JsonPath.<Integer>read(comparison, "$.models[2].tasks.y1.value.n"))
                .isEqualTo(3);
        for (int model = 1; model <= 2; model++) {
            List<TaskCall> calls = new java.util.ArrayList<>();
            for (String task : List.of("y1", "y2")) {
                String at = "$.models[" + model + "].tasks." + task;
                calls.add(TaskCall.valueOf(JsonPath.read(comparison, at + ".call")));
                assertThat(JsonPath.<Double>read(comparison, at + ".tolerance")).isZero();
                List<Integer> seeds = JsonPath.read(comparison, at + ".seeds[*].seed");
                assertThat(seeds).containsExactly(1, 2, 3);
                double[] gains = JsonPath.<List<Number>>read(comparison, at + ".seeds[*].gain").stream()
                        .mapToDouble(Number::doubleValue)
                        .toArray();
                // by hand: mean, sample sd, and t(0.975, 2 df) = 4.302653 × sd / √3 either side
                double mean = (gains[0] + gains[1] + gains[2]) / 3;
                double sd = Math.sqrt(((gains[0] - mean) * (gains[0] - mean)
                                + (gains[1] - mean) * (gains[1] - mean)
                                + (gains[2] - mean) * (gains[2] - mean))
                        / 2);
                double half = 4.302653 * sd / Math.sqrt(3);
                assertThat(number(comparison, at + ".gain.mean")).isCloseTo(mean, within(1e-12));
                assertThat(number(comparison, at + ".gain.std")).isCloseTo(sd, within(1e-12));
                assertThat(number(comparison, at + ".gain.ci.low")).isCloseTo(mean - half, within(1e-6 * sd + 1e-15));
                assertThat(number(comparison, at + ".gain.ci.high")).isCloseTo(mean + half, within(1e-6 * sd + 1e-15));
                TaskCall expected =
                        mean - half > 0 ? TaskCall.BETTER : mean + half < 0 ? TaskCall.WORSE : TaskCall.NO_CHANGE;
                assertThat(calls.get(calls.size() - 1)).as(at).isEqualTo(expected);
            }
            assertThat(JsonPath.<String>read(comparison, "$.models[" + model + "].verdict"))
                    .as("three seeds are enough for a verdict, and it follows the calls")
                    .isEqualTo(SeesawVerdict.of(calls, 3).name())
                    .isNotEqualTo("INCONCLUSIVE");
        }
        assertThat(JsonPath.<List<Map<String, Object>>>read(comparison, "$.models[0].tasks.y1.seeds"))
                .as("the baseline's seeds have a value and no gain")
                .hasSize(3)
                .allSatisfy(
                        seed -> assertThat(seed).containsKeys("seed", "value").doesNotContainKey("gain"));
        assertThat(JsonPath.<Object>read(comparison, "$.models[2].tasks.y2.gain.mean"))
                .isNotNull();
        assertThat(JsonPath.<Integer>read(comparison, "$.models[1].parameters")).isPositive();
        assertThat(JsonPath.<Map<String, ?>>read(comparison, "$.models[0]")).doesNotContainKey("verdict");
    }

    @Test
    void theGainIsTheBaselineMinusTheModelForMseOnTheSameSeed() {
        long id = fx.create("/api/studies", study(unique("gain"), "[5]"));
        fx.awaitStudy(id);

        String comparison = fx.get("/api/studies/{id}/comparison", id);
        double single = ((Number) JsonPath.read(comparison, "$.models[0].tasks.y1.value.mean")).doubleValue();
        double mmoe = ((Number) JsonPath.read(comparison, "$.models[1].tasks.y1.value.mean")).doubleValue();
        double gain = ((Number) JsonPath.read(comparison, "$.models[1].tasks.y1.gain.mean")).doubleValue();
        assertThat(gain).isCloseTo(single - mmoe, within(1e-12));
        assertThat(JsonPath.<Map<String, ?>>read(comparison, "$.models[0].tasks.y1"))
                .doesNotContainKey("gain")
                .doesNotContainKey("call");
        // one seed: no interval, so no change, and too few seeds for a verdict
        assertThat(JsonPath.<Map<String, Object>>read(comparison, "$.models[1].tasks.y1.gain"))
                .containsEntry("ci", null)
                .containsEntry("n", 1);
        assertThat(JsonPath.<String>read(comparison, "$.models[1].tasks.y1.call"))
                .isEqualTo("NO_CHANGE");
        assertThat(JsonPath.<String>read(comparison, "$.models[1].verdict")).isEqualTo("INCONCLUSIVE");
        assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[1].tasks.y1.seeds[*].seed"))
                .containsExactly(5);
        assertThat(number(comparison, "$.models[1].tasks.y1.seeds[0].gain")).isCloseTo(gain, within(1e-12));

        String relative = fx.get("/api/studies/{id}/comparison?tolerance=mse=1%", id);
        assertThat(JsonPath.<String>read(relative, "$.toleranceSpec")).isEqualTo("mse=1%");
        assertThat(JsonPath.<Map<String, ?>>read(relative, "$")).doesNotContainKey("tolerance");
        assertThat(number(relative, "$.models[1].tasks.y1.tolerance"))
                .as("1% of the baseline's MSE on the paired seed")
                .isCloseTo(0.01 * Math.abs(single), within(1e-12));
        assertThat(number(
                        fx.get("/api/studies/{id}/comparison?tolerance=auc=0.5", id), "$.models[1].tasks.y1.tolerance"))
                .as("an MSE task without an MSE tolerance")
                .isZero();

        String utilization = fx.get("/api/studies/{id}/expert-utilization", id);
        List<Map<String, Object>> models = JsonPath.read(utilization, "$.models");
        assertThat(models).extracting(m -> m.get("model")).contains("mmoe", "ple");
        List<Number> mmoeGate = JsonPath.read(utilization, "$.models[?(@.model == 'mmoe')].gates[0].mean[*]");
        assertThat(mmoeGate).hasSize(3);
        assertThat(mmoeGate.stream().mapToDouble(Number::doubleValue).sum()).isCloseTo(1.0, within(1e-5));
        List<String> pleGates = JsonPath.read(utilization, "$.models[?(@.model == 'ple')].gates[*].gate");
        assertThat(pleGates).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void reusesAFinishedIdenticalBaseline() {
        long first = fx.create("/api/studies", study(unique("first"), "[7]"));
        fx.awaitStudy(first);
        int runsBefore = jdbc.queryForObject("SELECT count(*) FROM run", Integer.class);

        String second = body(fx.post("/api/studies", study(unique("second"), "[7]")));

        List<Map<String, Object>> singles = JsonPath.read(second, "$.runs[?(@.model == 'single')]");
        assertThat(singles).hasSize(1);
        assertThat(singles.get(0)).containsEntry("reused", true).containsEntry("state", "SUCCEEDED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM run", Integer.class))
                .as("only the two models are new")
                .isEqualTo(runsBefore + 2);
    }

    @Test
    void crossesModelsWithSeveralSchedules() {
        List<Integer> schedules = JsonPath.read(
                fx.get("/api/loss-weight-schedules?size=200"), "$.items[?(@.name in ['equal', 'dwa'])].id");
        assertThat(schedules).hasSize(2);

        String json = body(fx.post(
                "/api/studies",
                study(unique("schedules"), "[3]")
                        .replace("\"seeds\"", "\"lossWeightScheduleIds\": " + schedules + ", \"seeds\"")));

        List<String> models = JsonPath.read(json, "$.runs[*].model");
        assertThat(models)
                .containsExactlyInAnyOrder(
                        "mmoe@schedule-" + schedules.get(0),
                        "mmoe@schedule-" + schedules.get(1),
                        "ple@schedule-" + schedules.get(0),
                        "ple@schedule-" + schedules.get(1),
                        "single");
        for (int id : JsonPath.<List<Integer>>read(json, "$.runs[*].id")) {
            mvc.post().uri("/api/runs/{id}/cancel", id).exchange();
        }
    }

    @Nested
    class Refusing {

        @Test
        void everyBrokenRuleAndNothingStored() {
            int studies = jdbc.queryForObject("SELECT count(*) FROM study", Integer.class);
            int runs = jdbc.queryForObject("SELECT count(*) FROM run", Integer.class);

            MvcTestResult result = fx.post("/api/studies", """
                    {"name": " ", "taskGroupId": %d, "datasetId": %d,
                     "models": [{"architecture": "ple"}, {"architecture": "ple"}, {"architecture": "nope"}],
                     "seeds": [1, 1], "lossWeightScheduleId": 987654}""".formatted(fx.taskGroup(), fx.dataset()));

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            List<String> fields = JsonPath.read(body(result), "$.errors[*].field");
            assertThat(fields)
                    .contains("name", "models[1].name", "models[2].architecture", "seeds", "lossWeightScheduleId");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM study", Integer.class))
                    .isEqualTo(studies);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM run", Integer.class))
                    .isEqualTo(runs);
        }

        @Test
        void aTakenName() {
            String name = unique("taken");
            fx.create("/api/studies", study(name, "[1]").replace("\"epochs\": 2", "\"epochs\": 1"));
            assertThat(fx.post("/api/studies", study(name.toUpperCase(), "[1]")))
                    .hasStatus(HttpStatus.CONFLICT);
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {
                    "f1=0.01 | one-of",
                    "auc=0.01,ndcg=1% | one-of",
                    "-0.01 | range",
                    "mse=-1% | range",
                    "lots | format"
                })
        void anUnusableToleranceNamingTheField(String tolerance, String rule) {
            // the tolerance is checked before the study is looked up
            MvcTestResult result = mvc.get()
                    .uri("/api/studies/{id}/comparison?tolerance={t}", 987654, tolerance)
                    .exchange();

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("tolerance");
            assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo(rule);
        }

        @Test
        void anUnknownStudy() {
            assertThat(mvc.get().uri("/api/studies/987654/comparison").exchange())
                    .hasStatus(HttpStatus.NOT_FOUND);
        }
    }

    /** "matchParameters": every model of a study at one parameter count; the baselines as they are. */
    @Nested
    class MatchingParameters {

        String study(String name, String matching) {
            return """
                    {"name": "%s", "taskGroupId": %d, "datasetId": %d,
                     "models": [{"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]},
                                {"architecture": "ple", "experts": {"shared": 2, "perTask": 2, "units": [16]}, "towerUnits": [8]}],
                     "seeds": [1], "training": {"epochs": 1, "batchSize": 256, "learningRate": 0.01}%s}""".formatted(name, fx.taskGroup(), fx.dataset(), matching);
        }

        /** The trained parameters per row: single, mmoe, ple. */
        private List<Number> trainedParameters(String request) {
            long id = fx.create("/api/studies", request);
            fx.awaitStudy(id);
            String comparison = fx.get("/api/studies/{id}/comparison", id);
            assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[*].seedsDone"))
                    .as(comparison)
                    .containsOnly(1);
            return JsonPath.read(comparison, "$.models[*].parameters");
        }

        @Test
        void scalesEveryModelToTheLargestOrToTheBudgetAndLeavesTheBaselines() {
            List<Number> unmatched = trainedParameters(study(unique("as-asked"), ""));
            long mmoe = unmatched.get(1).longValue();
            long ple = unmatched.get(2).longValue();
            assertThat(ple).as("the models differ in size as asked").isGreaterThan((long) (mmoe * 1.2));

            List<Number> matched = trainedParameters(study(unique("matched"), ", \"matchParameters\": true"));
            assertThat(matched.subList(1, 3))
                    .allSatisfy(n -> assertThat(n.doubleValue()).isBetween(ple * 0.95, ple * 1.05));
            assertThat(matched.get(0)).isEqualTo(unmatched.get(0));

            long budget = 3 * ple;
            List<Number> budgeted = trainedParameters(
                    study(unique("budget"), ", \"matchParameters\": true, \"parameterBudget\": " + budget));
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

            MvcTestResult tiny = fx.post(
                    "/api/studies", study(unique("tiny"), ", \"matchParameters\": true, \"parameterBudget\": 10"));
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
}
