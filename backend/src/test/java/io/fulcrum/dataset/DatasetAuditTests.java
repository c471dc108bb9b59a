package io.fulcrum.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.io.UnsupportedEncodingException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class DatasetAuditTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    AuditTrail audit;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        audit = new AuditTrail(jdbc);
    }

    @Test
    void creatingAndDeletingADatasetIsRecordedWithTheUser() throws Exception {
        String alice = AuditTrail.actor("alice");
        String name = unique("audited");

        MvcTestResult created = post(alice, "/api/datasets", synthetic(name));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = id(created);
        String target = "dataset/" + id;

        AuditTrail.Row create = audit.single(target, "dataset.create");
        assertThat(create.actor()).isEqualTo(alice);
        assertThat(create.detail()).isNull();
        assertThat(create.before()).isNull();
        assertThat(create.after().get("name").asString()).isEqualTo(name);
        assertThat(create.after().get("kind").asString()).isEqualTo("SYNTHETIC");
        assertThat(create.after().get("rows").asLong()).isEqualTo(600);

        assertThat(mvc.delete()
                        .uri("/api/datasets/{id}", id)
                        .with(TestSecurity.as(alice, "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);
        AuditTrail.Row delete = audit.single(target, "dataset.delete");
        assertThat(delete.actor()).isEqualTo(alice);
        assertThat(delete.before().get("name").asString()).isEqualTo(name);
        assertThat(delete.after()).isNull();
    }

    @Test
    void aBackgroundImportIsRecordedWhenStartedAndWhenItsDatasetIsRegistered_bothAsTheUserWhoStartedIt()
            throws Exception {
        String carol = AuditTrail.actor("carol");
        String name = unique("imported");

        MvcTestResult started = post(carol, "/api/dataset-imports", synthetic(name));
        assertThat(started).hasStatus(HttpStatus.ACCEPTED);
        String jobId = JsonPath.read(body(started), "$.id");
        String state = "RUNNING";
        String job = null;
        for (int i = 0; i < 400 && state.equals("RUNNING"); i++) {
            Thread.sleep(50);
            job = body(mvc.get().uri("/api/dataset-imports/{id}", jobId).exchange());
            state = JsonPath.read(job, "$.state");
        }
        assertThat(state).as(job).isEqualTo("SUCCEEDED");
        long datasetId = ((Number) JsonPath.read(job, "$.datasetId")).longValue();

        AuditTrail.Row start = audit.single("dataset-import/" + jobId, "dataset-import.start");
        assertThat(start.actor()).isEqualTo(carol);
        assertThat(start.after().get("name").asString()).isEqualTo(name);
        AuditTrail.Row create = audit.single("dataset/" + datasetId, "dataset.create");
        assertThat(create.actor()).as("the import thread has no signed-in user").isEqualTo(carol);
        assertThat(create.detail()).contains(jobId);
        assertThat(audit.by(carol))
                .extracting(AuditTrail.Row::action)
                .containsExactly("dataset-import.start", "dataset.create");
    }

    @Test
    void aRefusedDatasetOrImportLeavesNoAuditRow() throws Exception {
        String dave = AuditTrail.actor("dave");
        String name = unique("taken");
        assertThat(post(dave, "/api/datasets", synthetic(name))).hasStatus(HttpStatus.CREATED);

        assertThat(post(dave, "/api/datasets", synthetic(name))).hasStatus(HttpStatus.CONFLICT);
        assertThat(post(dave, "/api/dataset-imports", synthetic(name))).hasStatus(HttpStatus.CONFLICT);
        assertThat(post(dave, "/api/datasets", """
                {"name": "%s", "kind": "SYNTHETIC", "spec": {"correlation": 2, "dimension": 1}}""".formatted(unique("bad")))).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(post(dave, "/api/dataset-imports", "{\"name\": \"\", \"kind\": \"FILE\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST);

        assertThat(audit.by(dave)).extracting(AuditTrail.Row::action).containsExactly("dataset.create");
    }

    private MvcTestResult post(String actor, String uri, String json) {
        return mvc.post()
                .uri(uri)
                .with(TestSecurity.as(actor, "ENGINEER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    private static String synthetic(String name) {
        return """
                {"name": "%s", "kind": "SYNTHETIC", "spec": {"correlation": 0.5, "samples": 600, "dimension": 4, "seed": 3}}""".formatted(name);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(MvcTestResult result) throws UnsupportedEncodingException {
        return result.getResponse().getContentAsString();
    }

    private static long id(MvcTestResult result) throws UnsupportedEncodingException {
        return ((Number) JsonPath.read(body(result), "$.id")).longValue();
    }
}
