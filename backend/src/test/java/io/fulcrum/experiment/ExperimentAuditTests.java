package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Runs and studies that need a GPU wait in the queue here (the test workers have none), so nothing trains. */
@FulcrumSpringTest
class ExperimentAuditTests {

    private static final String ON_GPU = "\"resources\": {\"device\": \"gpu\"}";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    ExperimentFixtures fx;
    AuditTrail audit;

    @BeforeEach
    void setUp() {
        fx = new ExperimentFixtures(mvc);
        audit = new AuditTrail(jdbc);
    }

    @Test
    void creatingCancellingAndRetryingARunAreRecordedWithTheStateBeforeAndAfter() {
        String alice = AuditTrail.actor("alice");

        MvcTestResult created = post(alice, "/api/runs", fx.run(SMALL_MMOE, QUICK, ON_GPU));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        String target = "run/" + id;
        AuditTrail.Row create = audit.single(target, "run.create");
        assertThat(create.actor()).isEqualTo(alice);
        assertThat(create.before()).isNull();
        assertThat(create.after().get("state").asString()).isEqualTo("QUEUED");
        assertThat(create.after().get("datasetId").asLong()).isEqualTo(fx.dataset());

        assertThat(post(alice, "/api/runs/" + id + "/cancel", "")).hasStatus(HttpStatus.OK);
        AuditTrail.Row cancel = audit.single(target, "run.cancel");
        assertThat(cancel.actor()).isEqualTo(alice);
        assertThat(cancel.before().get("state").asString()).isEqualTo("QUEUED");
        assertThat(cancel.after().get("state").asString()).isEqualTo("CANCELLED");

        assertThat(post(alice, "/api/runs/" + id + "/retry", "")).hasStatus(HttpStatus.OK);
        AuditTrail.Row retry = audit.single(target, "run.retry");
        assertThat(retry.before().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(retry.after().get("state").asString()).isEqualTo("QUEUED");
        assertThat(retry.after().get("reason").asString()).isEqualTo("retried");

        assertThat(post(alice, "/api/runs/" + id + "/retry", ""))
                .as("only a finished run")
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(post(alice, "/api/runs/" + id + "/cancel", "")).hasStatus(HttpStatus.OK);
        assertThat(audit.of(target))
                .extracting(AuditTrail.Row::action)
                .containsExactly("run.create", "run.cancel", "run.retry", "run.cancel");
    }

    @Test
    void creatingAStudyIsRecordedWithItsRuns() {
        String bob = AuditTrail.actor("bob");
        String name = unique("audited-study");

        MvcTestResult created = post(bob, "/api/studies", study(name));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        List<Integer> runIds = JsonPath.read(body(created), "$.runs[*].id");

        AuditTrail.Row create = audit.single("study/" + id, "study.create");
        assertThat(create.actor()).isEqualTo(bob);
        assertThat(create.after().get("name").asString()).isEqualTo(name);
        assertThat(create.after().get("models").toString()).contains("mmoe").contains("single");
        assertThat(create.after().get("runIds").size()).isEqualTo(runIds.size());
        for (int runId : runIds) {
            mvc.post().uri("/api/runs/{id}/cancel", runId).exchange();
        }
    }

    @Test
    void aRefusedRunOrStudyLeavesNoAuditRow() {
        String carol = AuditTrail.actor("carol");
        assertThat(post(carol, "/api/runs", "{\"taskGroupId\": -1}")).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(post(carol, "/api/studies", "{\"name\": \"\"}")).hasStatus(HttpStatus.BAD_REQUEST);
        String name = unique("taken-study");
        assertThat(post("admin", "/api/studies", study(name))).hasStatus(HttpStatus.CREATED);
        assertThat(post(carol, "/api/studies", study(name))).hasStatus(HttpStatus.CONFLICT);

        assertThat(audit.by(carol)).isEmpty();
        long studyId = jdbc.queryForObject("SELECT id FROM study WHERE name = ?", Long.class, name);
        for (long runId : jdbc.queryForList("SELECT run_id FROM study_run WHERE study_id = ?", Long.class, studyId)) {
            mvc.post().uri("/api/runs/{id}/cancel", runId).exchange();
        }
    }

    private String study(String name) {
        return """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d,
                 "models": [{"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]}],
                 "seeds": [1], "training": %s, %s}""".formatted(name, fx.taskGroup(), fx.dataset(), QUICK, ON_GPU);
    }

    private MvcTestResult post(String actor, String uri, String json) {
        var request = mvc.post().uri(uri).with(TestSecurity.as(actor, "ENGINEER"));
        return json.isEmpty()
                ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }
}
