package io.fulcrum.taskgroup;

import static io.fulcrum.taskgroup.TaskGroupJson.binaryTask;
import static io.fulcrum.taskgroup.TaskGroupJson.group;
import static org.assertj.core.api.Assertions.assertThat;

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
class TaskGroupAuditTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void createUpdateAndDeleteAreRecordedWithTheUserAndTheGroupBeforeAndAfter() {
        AuditTrail audit = new AuditTrail(jdbc);
        String alice = AuditTrail.actor("alice");
        String name = TaskGroupApiTests.uniqueName("audited");

        MvcTestResult created = send(alice, mvc.post().uri("/api/task-groups"), group(name, binaryTask("ctr")));
        assertThat(created).hasStatus(HttpStatus.CREATED);
        long id = TaskGroupApiTests.idOf(created);
        String target = "task-group/" + id;

        AuditTrail.Row create = audit.single(target, "task-group.create");
        assertThat(create.actor()).isEqualTo(alice);
        assertThat(create.before()).isNull();
        assertThat(create.after().get("name").asString()).isEqualTo(name);
        assertThat(create.after().get("tasks").get(0).get("name").asString()).isEqualTo("ctr");

        String renamed = name + "-v2";
        assertThat(send(
                        alice,
                        mvc.put().uri("/api/task-groups/{id}", id),
                        group(renamed, binaryTask("ctr"), binaryTask("cvr"))))
                .hasStatus(HttpStatus.OK);
        AuditTrail.Row update = audit.single(target, "task-group.update");
        assertThat(update.actor()).isEqualTo(alice);
        assertThat(update.before().get("name").asString()).isEqualTo(name);
        assertThat(update.before().get("tasks").size()).isEqualTo(1);
        assertThat(update.after().get("name").asString()).isEqualTo(renamed);
        assertThat(update.after().get("tasks").size()).isEqualTo(2);
        assertThat(update.after().get("version").asLong())
                .isGreaterThan(update.before().get("version").asLong());

        assertThat(mvc.delete()
                        .uri("/api/task-groups/{id}", id)
                        .with(TestSecurity.as(alice, "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);
        AuditTrail.Row delete = audit.single(target, "task-group.delete");
        assertThat(delete.actor()).isEqualTo(alice);
        assertThat(delete.before().get("name").asString()).isEqualTo(renamed);
        assertThat(delete.after()).isNull();
        assertThat(audit.of(target))
                .extracting(AuditTrail.Row::action)
                .containsExactly("task-group.create", "task-group.update", "task-group.delete");
    }

    @Test
    void aRefusedChangeLeavesNoAuditRow() {
        AuditTrail audit = new AuditTrail(jdbc);
        String bob = AuditTrail.actor("bob");
        String name = TaskGroupApiTests.uniqueName("taken");
        MvcTestResult first = send(bob, mvc.post().uri("/api/task-groups"), group(name, binaryTask("ctr")));
        assertThat(first).hasStatus(HttpStatus.CREATED);
        long id = TaskGroupApiTests.idOf(first);

        assertThat(send(bob, mvc.post().uri("/api/task-groups"), group(name.toUpperCase(), binaryTask("ctr"))))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(send(bob, mvc.post().uri("/api/task-groups"), "{\"name\": \"\", \"tasks\": []}"))
                .hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(send(
                        bob,
                        mvc.put().uri("/api/task-groups/{id}", id),
                        group(name, binaryTask("ctr"), binaryTask("ctr"))))
                .hasStatus(HttpStatus.BAD_REQUEST);

        assertThat(audit.by(bob)).extracting(AuditTrail.Row::action).containsExactly("task-group.create");
    }

    private static MvcTestResult send(String actor, MockMvcTester.MockMvcRequestBuilder request, String json) {
        return request.with(TestSecurity.as(actor, "ENGINEER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }
}
