package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.experiment.ExperimentFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Every rule of an experiment's configuration, each reported under its field path, and nothing stored. */
@FulcrumSpringTest
class AbExperimentValidationTests {

    private static String surface;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    AbFixtures ab;

    @BeforeEach
    void fixtures() {
        ab = new AbFixtures(mvc, jdbc);
        synchronized (AbExperimentValidationTests.class) {
            if (surface == null) {
                surface = ab.surface(ab.modelWithTwoVersions());
            }
        }
    }

    MvcTestResult post(String json) {
        return mvc.post()
                .uri("/api/ab-experiments")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    static List<String> violations(MvcTestResult result) {
        List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
        return errors.stream().map(e -> e.get("field") + " " + e.get("rule")).toList();
    }

    int stored() {
        return jdbc.queryForObject("SELECT count(*) FROM ab_experiment", Integer.class);
    }

    static DocumentContext valid() {
        return JsonPath.parse(AbFixtures.experiment("exp", "SURFACE"));
    }

    static Map<String, Object> step(double percent, String duration) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("percent", percent);
        step.put("minDuration", duration);
        return step;
    }

    static Map<String, Object> variant(String name, boolean control, int bps) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("control", control);
        v.put("modelVersion", 1);
        v.put("allocationBps", bps);
        return v;
    }

    static Arguments rule(String field, String rule, UnaryOperator<DocumentContext> change) {
        return Arguments.of(field, rule, change);
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                rule("name", "required", d -> d.set("$.name", "  ")),
                rule("name", "max-length", d -> d.set("$.name", "x".repeat(101))),
                rule("description", "max-length", d -> d.set("$.description", "x".repeat(2001))),
                rule("surface", "required", d -> d.delete("$.surface")),
                rule("surface", "exists", d -> d.set("$.surface", "no-such-surface")),
                rule("salt", "pattern", d -> d.put("$", "salt", "no spaces!")),
                rule("salt", "pattern", d -> d.put("$", "salt", "s".repeat(65))),
                rule("targetMetric", "required", d -> d.delete("$.targetMetric")),
                rule("targetMetric", "one-of", d -> d.set("$.targetMetric", "daily_active_users")),
                rule("targetMetric", "not-latency", d -> d.set("$.targetMetric", "p99_latency_ms")),
                rule("guardrails[0].metric", "one-of", d -> d.set("$.guardrails[0].metric", "revenue")),
                rule("guardrails[0].metric", "required", d -> d.delete("$.guardrails[0].metric")),
                rule("guardrails[0].maxRelativeDrop", "range", d -> d.set("$.guardrails[0].maxRelativeDrop", 1.0)),
                rule("guardrails[0].maxRelativeDrop", "range", d -> d.set("$.guardrails[0].maxRelativeDrop", -0.01)),
                rule("guardrails[0].maxRelativeDrop", "required", d -> d.delete("$.guardrails[0].maxRelativeDrop")),
                rule("guardrails[0].maxMillis", "not-allowed", d -> d.put("$.guardrails[0]", "maxMillis", 5)),
                rule("guardrails[1].maxMillis", "range", d -> d.set("$.guardrails[1].maxMillis", 0)),
                rule("guardrails[1].maxMillis", "required", d -> d.delete("$.guardrails[1].maxMillis")),
                rule(
                        "guardrails[1].maxRelativeDrop",
                        "not-allowed",
                        d -> d.put("$.guardrails[1]", "maxRelativeDrop", 0.1)),
                rule("guardrails[1].alpha", "range", d -> d.set("$.guardrails[1].alpha", 0)),
                rule("guardrails[1].alpha", "range", d -> d.set("$.guardrails[1].alpha", 0.51)),
                rule(
                        "guardrails[2].metric",
                        "unique",
                        d -> d.add("$.guardrails", Map.of("metric", "play_rate", "maxRelativeDrop", 0.1))),
                rule("rampPlan", "size", d -> {
                    List<Object> steps = new ArrayList<>();
                    for (int i = 1; i <= 11; i++) {
                        steps.add(step(i * 9, "PT1H"));
                    }
                    return d.set("$.rampPlan", steps);
                }),
                rule("rampPlan[0].percent", "range", d -> d.set("$.rampPlan[0].percent", 0)),
                rule("rampPlan[2].percent", "range", d -> d.set("$.rampPlan[2].percent", 100.5)),
                rule("rampPlan[0].percent", "required", d -> d.delete("$.rampPlan[0].percent")),
                rule("rampPlan[1].percent", "increasing", d -> d.set("$.rampPlan[1].percent", 5)),
                rule("rampPlan[0].minDuration", "format", d -> d.set("$.rampPlan[0].minDuration", "1 hour")),
                rule("rampPlan[0].minDuration", "min", d -> d.set("$.rampPlan[0].minDuration", "-PT1H")),
                rule("analysis", "one-of", d -> d.put("$", "analysis", "bayesian")),
                rule("correction", "one-of", d -> d.put("$", "correction", "bonferroni")),
                rule("preExposure", "min", d -> d.put("$", "preExposure", "-P1D")),
                rule("preExposure", "max", d -> d.put("$", "preExposure", "P91D")),
                rule("preExposure", "format", d -> d.put("$", "preExposure", "two weeks")),
                rule("plannedUsersPerVariant", "min", d -> d.put("$", "plannedUsersPerVariant", 5)),
                rule("variants", "size", d -> d.delete("$.variants[1]")),
                rule("variants", "size", d -> {
                    List<Object> variants = new ArrayList<>();
                    for (int i = 0; i < 11; i++) {
                        variants.add(variant("v" + i, i == 0, 100));
                    }
                    return d.set("$.variants", variants);
                }),
                rule("variants[1].name", "required", d -> d.delete("$.variants[1].name")),
                rule("variants[1].name", "pattern", d -> d.set("$.variants[1].name", "Treatment")),
                rule("variants[1].name", "pattern", d -> d.set("$.variants[1].name", "-treatment")),
                rule("variants[1].name", "pattern", d -> d.set("$.variants[1].name", "t".repeat(41))),
                rule("variants[1].name", "unique", d -> d.set("$.variants[1].name", "control")),
                rule("variants", "one-control", d -> d.set("$.variants[1].control", true)),
                rule("variants", "one-control", d -> d.set("$.variants[0].control", false)),
                rule("variants[1].modelVersion", "required", d -> d.delete("$.variants[1].modelVersion")),
                rule("variants[1].modelVersion", "min", d -> d.set("$.variants[1].modelVersion", 0)),
                rule("variants[1].modelVersion", "exists", d -> d.set("$.variants[1].modelVersion", 3)),
                rule(
                        "variants[1].scoring.exponents.ctr",
                        "known-task",
                        d -> d.put("$.variants[1].scoring.exponents", "ctr", 1.0)),
                rule(
                        "variants[1].scoring.exponents.y1",
                        "range",
                        d -> d.set("$.variants[1].scoring.exponents.y1", 10.5)),
                rule(
                        "variants[1].scoring.lengthTransform.type",
                        "one-of",
                        d -> d.set("$.variants[1].scoring.lengthTransform.type", "cubic")),
                rule(
                        "variants[1].scoring.lengthTransform.scale",
                        "positive",
                        d -> d.set("$.variants[1].scoring.lengthTransform.scale", 0)),
                rule("variants[1].allocationBps", "required", d -> d.delete("$.variants[1].allocationBps")),
                rule("variants[1].allocationBps", "range", d -> d.set("$.variants[1].allocationBps", 0)),
                rule("variants[1].allocationBps", "range", d -> d.set("$.variants[1].allocationBps", 10001)),
                rule("variants", "sum", d -> d.set("$.variants[1].allocationBps", 9501)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("brokenRules")
    void refusesABrokenRuleNamingItsFieldAndStoresNothing(
            String field, String rule, UnaryOperator<DocumentContext> change) {
        int before = stored();
        String json = change.apply(valid()).jsonString().replace("SURFACE", surface);

        MvcTestResult result = post(json);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(violations(result)).as(body(result)).containsExactly(field + " " + rule);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void theUnchangedBodyIsValid() {
        assertThat(post(valid().jsonString().replace("SURFACE", surface))).hasStatus(HttpStatus.CREATED);
    }

    @Test
    void allocationsThatSumToExactly10000AreAcceptedWithNothingHeldOut() {
        String json =
                valid().set("$.variants[1].allocationBps", 9500).jsonString().replace("SURFACE", surface);
        MvcTestResult result = post(json);
        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.holdoutBps").isEqualTo(0);
    }

    @Test
    void allocationsAbove10000AreRefusedAndNothingIsStored() {
        int experiments = stored();
        int variants = jdbc.queryForObject("SELECT count(*) FROM ab_variant", Integer.class);
        int audits = jdbc.queryForObject("SELECT count(*) FROM ab_experiment_audit", Integer.class);
        String json = valid().set("$.variants[0].allocationBps", 6000)
                .set("$.variants[1].allocationBps", 4001)
                .jsonString()
                .replace("SURFACE", surface);

        MvcTestResult result = post(json);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(violations(result)).containsExactly("variants sum");
        assertThat(JsonPath.<String>read(body(result), "$.errors[0].message"))
                .isEqualTo("allocations sum to 10001 basis points; at most 10000 (the rest is held out)");
        assertThat(stored()).isEqualTo(experiments);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ab_variant", Integer.class))
                .isEqualTo(variants);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ab_experiment_audit", Integer.class))
                .isEqualTo(audits);
    }

    @Test
    void reportsEveryBrokenRuleAtOnce() {
        String json = valid().set("$.name", "")
                .put("$", "salt", "a b")
                .set("$.targetMetric", "p99_latency_ms")
                .set("$.guardrails[1].alpha", 0.9)
                .set("$.rampPlan[2].percent", 20)
                .set("$.variants[1].name", "control")
                .set("$.variants[1].modelVersion", 9)
                .set("$.variants[0].allocationBps", 10000)
                .jsonString()
                .replace("SURFACE", surface);

        MvcTestResult result = post(json);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(violations(result))
                .containsExactlyInAnyOrder(
                        "name required",
                        "salt pattern",
                        "targetMetric not-latency",
                        "guardrails[1].alpha range",
                        "rampPlan[2].percent increasing",
                        "variants[1].name unique",
                        "variants[1].modelVersion exists",
                        "variants sum");
    }

    @Test
    void aMissingSurfaceStillChecksTheRestOfTheBody() {
        String json = valid().set("$.surface", "gone")
                .set("$.variants[1].allocationBps", 0)
                .jsonString();
        assertThat(violations(post(json)))
                .containsExactlyInAnyOrder("surface exists", "variants[1].allocationBps range");
    }

    @Test
    void fillsInTheDefaults() {
        String json = valid().delete("$.rampPlan[2].minDuration")
                .delete("$.variants[0].scoring")
                .set("$.rampPlan[1].minDuration", "P1DT12H")
                .set("$.name", ExperimentFixtures.unique("defaults"))
                .jsonString()
                .replace("SURFACE", surface);

        MvcTestResult result = post(json);

        assertThat(result).hasStatus(HttpStatus.CREATED);
        String created = body(result);
        assertThat(JsonPath.<String>read(created, "$.salt")).matches("[0-9a-f]{16}");
        assertThat(JsonPath.<Double>read(created, "$.guardrails[0].alpha")).isEqualTo(0.05);
        assertThat(JsonPath.<Double>read(created, "$.guardrails[1].alpha")).isEqualTo(0.01);
        assertThat(JsonPath.<List<String>>read(created, "$.rampPlan[*].minDuration"))
                .containsExactly("PT1H", "PT36H", "PT0S");
        assertThat(JsonPath.<Map<String, Double>>read(created, "$.variants[0].scoring.exponents"))
                .as("a variant without scoring takes the surface's")
                .isEqualTo(Map.of("y1", 1.0, "y2", 1.0));
        assertThat(JsonPath.<String>read(created, "$.variants[0].scoring.lengthTransform.type"))
                .isEqualTo("none");
        String other = JsonPath.read(body(post(json)), "$.salt");
        assertThat(other).isNotEqualTo(JsonPath.read(created, "$.salt"));
    }

    @Test
    void aMalformedBodyIsA400NamingTheField() {
        String json =
                valid().set("$.variants[1].allocationBps", "lots").jsonString().replace("SURFACE", surface);
        MvcTestResult result = post(json);
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(violations(result)).containsExactly("variants[1].allocationBps type");
    }
}
