package io.fulcrum.schedule;

import static io.fulcrum.schedule.LossWeightScheduleApiTests.DECAY;
import static io.fulcrum.schedule.LossWeightScheduleApiTests.EQUAL;
import static io.fulcrum.schedule.LossWeightScheduleApiTests.body;
import static io.fulcrum.schedule.LossWeightScheduleApiTests.schedule;
import static io.fulcrum.schedule.LossWeightScheduleApiTests.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class LossWeightScheduleAuditTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void createEditAndDeleteAreRecordedWithTheSpecBeforeAndAfter() {
        AuditTrail audit = new AuditTrail(jdbc);
        String alice = AuditTrail.actor("alice");
        String name = uniqueName("audited");

        MvcTestResult created = send(alice, mvc.post().uri("/api/loss-weight-schedules"), schedule(name, EQUAL));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();
        String target = "loss-weight-schedule/" + id;
        AuditTrail.Row create = audit.single(target, "loss-weight-schedule.create");
        assertThat(create.actor()).isEqualTo(alice);
        assertThat(create.before()).isNull();
        assertThat(create.after().get("name").asString()).isEqualTo(name);
        assertThat(create.after().get("spec").get("type").asString()).isEqualTo("constant");

        assertThat(send(alice, mvc.put().uri("/api/loss-weight-schedules/{id}", id), schedule(name, DECAY)))
                .hasStatus(HttpStatus.OK);
        AuditTrail.Row update = audit.single(target, "loss-weight-schedule.update");
        assertThat(update.actor()).isEqualTo(alice);
        assertThat(update.before().get("version").asInt()).isEqualTo(1);
        assertThat(update.before().get("spec").get("type").asString()).isEqualTo("constant");
        assertThat(update.after().get("version").asInt()).isEqualTo(2);
        assertThat(update.after().get("spec").get("type").asString()).isEqualTo("exponential");
        assertThat(update.after().get("spec").get("gamma").get(1).asDouble())
                .isEqualTo(0.9, org.assertj.core.api.Assertions.within(1e-6));

        assertThat(mvc.delete()
                        .uri("/api/loss-weight-schedules/{id}", id)
                        .with(TestSecurity.as(alice, "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);
        AuditTrail.Row delete = audit.single(target, "loss-weight-schedule.delete");
        assertThat(delete.actor()).isEqualTo(alice);
        assertThat(delete.before().get("name").asString()).isEqualTo(name);
        assertThat(delete.after()).isNull();
    }

    @Test
    void aRefusedChangeLeavesNoAuditRow() {
        AuditTrail audit = new AuditTrail(jdbc);
        String bob = AuditTrail.actor("bob");
        String name = uniqueName("taken");
        MvcTestResult created = send(bob, mvc.post().uri("/api/loss-weight-schedules"), schedule(name, EQUAL));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = ((Number) JsonPath.read(body(created), "$.id")).longValue();

        assertThat(send(bob, mvc.post().uri("/api/loss-weight-schedules"), schedule(name, EQUAL)))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(send(
                        bob,
                        mvc.put().uri("/api/loss-weight-schedules/{id}", id),
                        schedule(name, "{\"type\": \"nope\"}")))
                .hasStatus(HttpStatus.BAD_REQUEST);

        assertThat(audit.by(bob)).extracting(AuditTrail.Row::action).containsExactly("loss-weight-schedule.create");
    }

    private static MvcTestResult send(String actor, MockMvcTester.MockMvcRequestBuilder request, String json) {
        return request.with(TestSecurity.as(actor, "ENGINEER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }
}
