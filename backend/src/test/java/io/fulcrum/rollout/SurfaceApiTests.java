package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
@RecordApplicationEvents
class SurfaceApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    ApplicationEvents events;

    ServingFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ServingFixtures(mvc);
    }

    MvcTestResult post(String json) {
        return mvc.post()
                .uri("/api/surfaces")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    MvcTestResult put(String name, String json) {
        return mvc.put()
                .uri("/api/surfaces/{name}", name)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    static List<Map<String, String>> errors(MvcTestResult result) {
        return JsonPath.read(body(result), "$.errors[*]['field','rule']");
    }

    @Test
    void createsGetsListsAndEditsASurface() {
        String model = fx.model();
        String name = unique("home");

        MvcTestResult created = post("""
                {"name": "%s", "modelName": "%s", "description": "the home feed",
                 "scoring": {"exponents": {"vtr": 1.5, "vcr": 0.5}, "lengthTransform": {"type": "sigmoid", "center": 60, "scale": 20}}}""".formatted(name, model));

        assertThat(created).hasStatus(HttpStatus.CREATED);
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/api/surfaces/" + name);
        assertThat(created).bodyJson().extractingPath("$.scoring.exponents.vtr").isEqualTo(1.5);
        assertThat(created)
                .bodyJson()
                .extractingPath("$.scoring.lengthTransform.type")
                .isEqualTo("sigmoid");
        MvcTestResult got = mvc.get().uri("/api/surfaces/{name}", name).exchange();
        assertThat(got).hasStatus(HttpStatus.OK);
        assertThat(got).bodyJson().extractingPath("$.modelName").isEqualTo(model);
        assertThat(got).bodyJson().extractingPath("$.description").isEqualTo("the home feed");
        assertThat(got)
                .bodyJson()
                .extractingPath("$.scoring.lengthTransform.center")
                .isEqualTo(60.0);

        MvcTestResult edited = put(name, """
                {"modelName": "%s", "scoring": {"exponents": {"vtr": 3}}, "description": "changed"}""".formatted(model));

        assertThat(edited).hasStatus(HttpStatus.OK);
        assertThat(edited).bodyJson().extractingPath("$.scoring.exponents.vtr").isEqualTo(3.0);
        assertThat(edited)
                .bodyJson()
                .extractingPath("$.scoring.lengthTransform.type")
                .isEqualTo("none");
        long id = ((Number) JsonPath.read(body(edited), "$.id")).longValue();
        assertThat(events.stream(RolloutChanged.class)).containsExactly(new RolloutChanged(id));
        assertThat(mvc.get().uri("/api/surfaces/{name}", name).exchange())
                .bodyJson()
                .extractingPath("$.description")
                .isEqualTo("changed");

        MvcTestResult page = mvc.get().uri("/api/surfaces?page=0&size=200").exchange();
        assertThat(page).hasStatus(HttpStatus.OK);
        List<String> names = JsonPath.read(body(page), "$.items[*].name");
        assertThat(names).contains(name).isSorted();
        assertThat(mvc.get().uri("/api/surfaces?size=0").exchange()).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void aTakenNameIsAConflict() {
        String model = fx.model();
        String name = unique("dup");
        String json = "{\"name\": \"%s\", \"modelName\": \"%s\"}".formatted(name, model);
        assertThat(post(json)).hasStatus(HttpStatus.CREATED);

        MvcTestResult again = post(json);

        assertThat(again).hasStatus(HttpStatus.CONFLICT);
        assertThat(errors(again)).containsExactly(Map.of("field", "name", "rule", "unique"));
    }

    @Test
    void namesEveryBrokenRule() {
        MvcTestResult result = post("""
                {"name": "Home Feed", "modelName": "no-such-model", "description": "%s",
                 "scoring": {"exponents": {"vtr": -1}, "lengthTransform": {"type": "cubic"}}}""".formatted("d".repeat(2001)));

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(errors(result))
                .containsExactlyInAnyOrder(
                        Map.of("field", "name", "rule", "pattern"),
                        Map.of("field", "modelName", "rule", "exists"),
                        Map.of("field", "scoring.exponents.vtr", "rule", "range"),
                        Map.of("field", "scoring.lengthTransform.type", "rule", "one-of"),
                        Map.of("field", "description", "rule", "max-length"));
        assertThat(errors(post("{}")))
                .containsExactlyInAnyOrder(
                        Map.of("field", "name", "rule", "required"), Map.of("field", "modelName", "rule", "required"));
    }

    @Test
    void exponentsMustNameTasksOfTheModel() {
        String model = fx.model();

        MvcTestResult result = post("""
                {"name": "%s", "modelName": "%s", "scoring": {"exponents": {"vtr": 1, "ctr": 2}}}""".formatted(unique("tasks"), model));

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(errors(result)).containsExactly(Map.of("field", "scoring.exponents.ctr", "rule", "known-task"));
    }

    @Test
    void editsKeepTheNameAndUnknownSurfacesAreNotFound() {
        String model = fx.model();
        String name = fx.surface(model, "{}");

        assertThat(errors(put(name, "{\"name\": \"other\", \"modelName\": \"%s\"}".formatted(model))))
                .containsExactly(Map.of("field", "name", "rule", "immutable"));
        assertThat(put("no-such-surface", "{\"modelName\": \"%s\"}".formatted(model)))
                .hasStatus(HttpStatus.NOT_FOUND);
        assertThat(mvc.get().uri("/api/surfaces/no-such-surface").exchange()).hasStatus(HttpStatus.NOT_FOUND);
    }
}
