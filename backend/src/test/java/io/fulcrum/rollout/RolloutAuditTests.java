package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.experiment.ExperimentFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Surfaces and A/B experiments changed by an admin through the API, as the audit log keeps them. */
@FulcrumSpringTest
class RolloutAuditTests {

    private static String model;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    AuditTrail audit;

    @BeforeEach
    void setUp() {
        audit = new AuditTrail(jdbc);
        synchronized (RolloutAuditTests.class) {
            if (model == null) {
                model = new AbFixtures(mvc, jdbc).modelWithTwoVersions();
            }
        }
    }

    @Test
    void creatingAndEditingASurfaceIsRecordedWithItBeforeAndAfter() {
        String alice = AuditTrail.actor("alice");
        String name = ExperimentFixtures.unique("audited-feed");

        assertThat(send(alice, "POST", "/api/surfaces", surface(name, "first", 1.0)))
                .hasStatus(HttpStatus.CREATED);
        AuditTrail.Row create = audit.single("surface/" + name, "surface.create");
        assertThat(create.actor()).isEqualTo(alice);
        assertThat(create.before()).isNull();
        assertThat(create.after().get("modelName").asString()).isEqualTo(model);

        assertThat(send(alice, "PUT", "/api/surfaces/" + name, surface(name, "second", 3.0)))
                .hasStatus(HttpStatus.OK);
        AuditTrail.Row update = audit.single("surface/" + name, "surface.update");
        assertThat(update.actor()).isEqualTo(alice);
        assertThat(update.before().get("description").asString()).isEqualTo("first");
        assertThat(update.before().get("scoring").get("exponents").get("y1").asDouble())
                .isEqualTo(1.0);
        assertThat(update.after().get("description").asString()).isEqualTo("second");
        assertThat(update.after().get("scoring").get("exponents").get("y1").asDouble())
                .isEqualTo(3.0);
    }

    @Test
    void everyExperimentTransitionIsRecordedWithTheAdminAndTheExperimentBeforeAndAfter() {
        String alice = AuditTrail.actor("alice");
        String surface = ExperimentFixtures.unique("ab-feed");
        assertThat(send(alice, "POST", "/api/surfaces", surface(surface, "", 1.0)))
                .hasStatus(HttpStatus.CREATED);

        long draft = create(alice, surface);
        assertThat(mvc.delete()
                        .uri("/api/ab-experiments/{id}", draft)
                        .with(TestSecurity.as(alice, "ADMIN"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);
        AuditTrail.Row deleted = audit.single("ab-experiment/" + draft, "ab-experiment.delete");
        assertThat(deleted.before().get("state").asString()).isEqualTo("DRAFT");
        assertThat(deleted.after()).isNull();

        long id = create(alice, surface);
        String target = "ab-experiment/" + id;
        String edited = AbFixtures.experiment("edited-" + id, surface);
        assertThat(send(alice, "PUT", "/api/ab-experiments/" + id, edited)).hasStatus(HttpStatus.OK);
        AuditTrail.Row update = audit.single(target, "ab-experiment.update");
        assertThat(update.before().get("name").asString()).startsWith("exp-");
        assertThat(update.after().get("name").asString()).isEqualTo("edited-" + id);

        assertThat(send(alice, "POST", "/api/ab-experiments/" + id + "/start", "{\"reason\": \"go\"}"))
                .hasStatus(HttpStatus.OK);
        assertThat(send(alice, "POST", "/api/ab-experiments/" + id + "/advance", "{}"))
                .hasStatus(HttpStatus.OK);
        assertThat(send(alice, "POST", "/api/ab-experiments/" + id + "/stop", "{}"))
                .hasStatus(HttpStatus.OK);
        assertThat(send(
                        alice,
                        "POST",
                        "/api/ab-experiments/" + id + "/promote",
                        "{\"variant\": \"treatment\", \"reason\": \"it won\"}"))
                .hasStatus(HttpStatus.OK);

        assertThat(audit.of(target))
                .extracting(AuditTrail.Row::action)
                .containsExactly(
                        "ab-experiment.create",
                        "ab-experiment.update",
                        "ab-experiment.start",
                        "ab-experiment.advance",
                        "ab-experiment.stop",
                        "ab-experiment.promote");
        assertThat(audit.of(target)).extracting(AuditTrail.Row::actor).containsOnly(alice);
        AuditTrail.Row start = audit.single(target, "ab-experiment.start");
        assertThat(start.detail()).isEqualTo("go");
        assertThat(start.before().get("state").asString()).isEqualTo("DRAFT");
        assertThat(start.after().get("state").asString()).isEqualTo("RUNNING");
        AuditTrail.Row advance = audit.single(target, "ab-experiment.advance");
        assertThat(advance.before().get("rampStep").asInt()).isZero();
        assertThat(advance.after().get("rampStep").asInt()).isEqualTo(1);
        AuditTrail.Row promote = audit.single(target, "ab-experiment.promote");
        assertThat(promote.detail()).isEqualTo("it won");
        assertThat(promote.before().get("state").asString()).isEqualTo("STOPPED");
        assertThat(promote.after().get("state").asString()).isEqualTo("PROMOTED");
        assertThat(promote.after().get("winner").asString()).isEqualTo("treatment");
        AuditTrail.Row champion = audit.of("model/" + model, "model.alias-move").stream()
                .filter(row -> row.actor().equals(alice))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("the promotion moved the champion without an audit row"));
        assertThat(champion.after().get("alias").asString()).isEqualTo("champion");
        assertThat(champion.after().get("version").asInt()).isEqualTo(2);
        assertThat(champion.detail()).contains("(" + id + ")");

        long other = create(alice, surface);
        assertThat(send(alice, "POST", "/api/ab-experiments/" + other + "/start", "{}"))
                .hasStatus(HttpStatus.OK);
        assertThat(send(alice, "POST", "/api/ab-experiments/" + other + "/rollback", "{\"reason\": \"too slow\"}"))
                .hasStatus(HttpStatus.OK);
        AuditTrail.Row rollback = audit.single("ab-experiment/" + other, "ab-experiment.rollback");
        assertThat(rollback.actor()).isEqualTo(alice);
        assertThat(rollback.detail()).isEqualTo("too slow");
        assertThat(rollback.after().get("state").asString()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void aRefusedTransitionLeavesNoAuditRow() {
        String admin = AuditTrail.actor("admin");
        String bob = AuditTrail.actor("bob");
        String surface = ExperimentFixtures.unique("refusing-feed");
        assertThat(send(admin, "POST", "/api/surfaces", surface(surface, "", 1.0)))
                .hasStatus(HttpStatus.CREATED);
        long id = create(admin, surface);

        assertThat(send(bob, "POST", "/api/surfaces", surface(surface, "", 1.0)))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(send(bob, "PUT", "/api/surfaces/" + surface, "{\"modelName\": \"no-such-model\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(send(bob, "POST", "/api/ab-experiments/" + id + "/stop", "{}"))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(send(bob, "POST", "/api/ab-experiments/" + id + "/start", "{}"))
                .hasStatus(HttpStatus.OK);
        assertThat(send(bob, "POST", "/api/ab-experiments/" + id + "/promote", "{\"variant\": \"nobody\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(send(bob, "POST", "/api/ab-experiments/" + id + "/rollback", "{}"))
                .as("a rollback needs a reason")
                .hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(mvc.delete()
                        .uri("/api/ab-experiments/{id}", id)
                        .with(TestSecurity.as(bob, "ADMIN"))
                        .exchange())
                .hasStatus(HttpStatus.CONFLICT);

        assertThat(audit.by(bob)).extracting(AuditTrail.Row::action).containsExactly("ab-experiment.start");
        assertThat(send(bob, "POST", "/api/ab-experiments/" + id + "/stop", "{}"))
                .hasStatus(HttpStatus.OK);
    }

    private long create(String actor, String surface) {
        MvcTestResult created = send(
                actor, "POST", "/api/ab-experiments", AbFixtures.experiment(ExperimentFixtures.unique("exp"), surface));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        AuditTrail.Row row = audit.single("ab-experiment/" + id, "ab-experiment.create");
        assertThat(row.actor()).isEqualTo(actor);
        assertThat(row.before()).isNull();
        assertThat(row.after().get("state").asString()).isEqualTo("DRAFT");
        return id;
    }

    private String surface(String name, String description, double y1) {
        return """
                {"name": "%s", "modelName": "%s", "description": "%s",
                 "scoring": {"exponents": {"y1": %s, "y2": 1.0}, "lengthTransform": {"type": "none"}}}""".formatted(name, model, description, y1);
    }

    private MvcTestResult send(String actor, String method, String uri, String json) {
        var request = method.equals("PUT") ? mvc.put().uri(uri) : mvc.post().uri(uri);
        return request.with(TestSecurity.as(actor, "ADMIN"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }
}
