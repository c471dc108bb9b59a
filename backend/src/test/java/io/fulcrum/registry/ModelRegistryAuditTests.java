package io.fulcrum.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.rollout.AbFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
class ModelRegistryAuditTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyRegistryChangeIsRecordedWithTheUser_aliasMovesWithWhereTheAliasPointedBeforeAndAfter() {
        AuditTrail audit = new AuditTrail(jdbc);
        String alice = AuditTrail.actor("alice");
        List<Long> runs = new AbFixtures(mvc, jdbc).runs();
        String name = ExperimentFixtures.unique("audited-model");
        String target = "model/" + name;

        assertThat(send(alice, mvc.post().uri("/api/models"), "{\"name\": \"" + name + "\", \"description\": \"d\"}"))
                .hasStatus(HttpStatus.CREATED);
        AuditTrail.Row create = audit.single(target, "model.create");
        assertThat(create.actor()).isEqualTo(alice);
        assertThat(create.after().get("description").asString()).isEqualTo("d");

        for (long run : runs) {
            assertThat(send(alice, mvc.post().uri("/api/models/{name}/versions", name), "{\"runId\": " + run + "}"))
                    .hasStatus(HttpStatus.CREATED);
        }
        List<AuditTrail.Row> registered = audit.of(target, "model.version-register");
        assertThat(registered).extracting(AuditTrail.Row::actor).containsExactly(alice, alice);
        assertThat(registered.get(1).after().get("version").asInt()).isEqualTo(2);
        assertThat(registered.get(1).after().get("runId").asLong()).isEqualTo(runs.get(1));
        assertThat(registered.get(1).after().get("modelCreated").asBoolean()).isFalse();

        assertThat(send(alice, mvc.put().uri("/api/models/{name}/aliases/staging", name), "{\"version\": 1}"))
                .hasStatus(HttpStatus.OK);
        assertThat(send(
                        alice,
                        mvc.put().uri("/api/models/{name}/aliases/staging", name),
                        "{\"version\": 2, \"reason\": \"better MSE\"}"))
                .hasStatus(HttpStatus.OK);
        List<AuditTrail.Row> moves = audit.of(target, "model.alias-move");
        assertThat(moves).hasSize(2);
        assertThat(moves.get(0).before()).as("a new alias pointed nowhere").isNull();
        assertThat(moves.get(0).after().get("version").asInt()).isEqualTo(1);
        assertThat(moves.get(1).actor()).isEqualTo(alice);
        assertThat(moves.get(1).detail()).isEqualTo("better MSE");
        assertThat(moves.get(1).before().get("alias").asString()).isEqualTo("staging");
        assertThat(moves.get(1).before().get("version").asInt()).isEqualTo(1);
        assertThat(moves.get(1).after().get("version").asInt()).isEqualTo(2);

        assertThat(mvc.delete()
                        .uri("/api/models/{name}", name)
                        .with(TestSecurity.as(alice, "ENGINEER"))
                        .exchange())
                .as("refused while an alias points into it")
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(mvc.delete()
                        .uri("/api/models/{name}/aliases/staging?reason=retired", name)
                        .with(TestSecurity.as(alice, "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);
        AuditTrail.Row removed = audit.single(target, "model.alias-remove");
        assertThat(removed.detail()).isEqualTo("retired");
        assertThat(removed.before().get("version").asInt()).isEqualTo(2);
        assertThat(removed.after()).isNull();

        assertThat(mvc.delete()
                        .uri("/api/models/{name}", name)
                        .with(TestSecurity.as(alice, "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);
        AuditTrail.Row delete = audit.single(target, "model.delete");
        assertThat(delete.actor()).isEqualTo(alice);
        assertThat(delete.before().get("versions").asInt()).isEqualTo(2);
        assertThat(audit.by(alice))
                .extracting(AuditTrail.Row::action)
                .containsExactly(
                        "model.create",
                        "model.version-register",
                        "model.version-register",
                        "model.alias-move",
                        "model.alias-move",
                        "model.alias-remove",
                        "model.delete");
    }

    @Test
    void aRefusedRegistryChangeLeavesNoAuditRow() {
        AuditTrail audit = new AuditTrail(jdbc);
        String bob = AuditTrail.actor("bob");
        List<Long> runs = new AbFixtures(mvc, jdbc).runs();
        String name = ExperimentFixtures.unique("refused-model");
        assertThat(send(bob, mvc.post().uri("/api/models/{name}/versions", name), "{\"runId\": " + runs.get(0) + "}"))
                .hasStatus(HttpStatus.CREATED);
        assertThat(audit.single("model/" + name, "model.version-register")
                        .after()
                        .get("modelCreated")
                        .asBoolean())
                .as("registering into a new name creates the model")
                .isTrue();

        assertThat(send(bob, mvc.post().uri("/api/models/{name}/versions", name), "{\"runId\": " + runs.get(0) + "}"))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(send(bob, mvc.put().uri("/api/models/{name}/aliases/staging", name), "{\"version\": 9}"))
                .hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(send(bob, mvc.post().uri("/api/models"), "{\"name\": \"" + name + "\"}"))
                .hasStatus(HttpStatus.CONFLICT);

        assertThat(audit.by(bob)).extracting(AuditTrail.Row::action).containsExactly("model.version-register");
    }

    private static MvcTestResult send(String actor, MockMvcTester.MockMvcRequestBuilder request, String json) {
        return request.with(TestSecurity.as(actor, "ENGINEER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }
}
