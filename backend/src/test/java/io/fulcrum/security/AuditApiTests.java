package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

@FulcrumSpringTest
class AuditApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate transaction;

    /** Five entries of a new actor, oldest first: two updates of thing/1, one of thing/2, two deletes. */
    String actorWithFiveEntries() {
        String actor = AuditTrail.actor("probe");
        transaction.executeWithoutResult(status -> {
            audit.recordAs(actor, "thing.update", "thing/1", null, Map.of("n", 0), Map.of("n", 1));
            audit.recordAs(actor, "thing.update", "thing/1", "again", Map.of("n", 1), Map.of("n", 2));
            audit.recordAs(actor, "thing.update", "thing/2", null, null, null);
            audit.recordAs(actor, "thing.delete", "thing/1", null, Map.of("n", 2), null);
            audit.recordAs(actor, "thing_delete", "thing/3", null, null, null);
        });
        return actor;
    }

    @Test
    void listsTheNewestFirstInPages() {
        String actor = actorWithFiveEntries();

        String first = get("/api/audit?actor={a}&size=2", actor);
        assertThat(JsonPath.<Integer>read(first, "$.totalItems")).isEqualTo(5);
        assertThat(JsonPath.<Integer>read(first, "$.totalPages")).isEqualTo(3);
        assertThat(JsonPath.<List<String>>read(first, "$.items[*].action"))
                .containsExactly("thing_delete", "thing.delete");
        String last = get("/api/audit?actor={a}&size=2&page=2", actor);
        assertThat(JsonPath.<List<String>>read(last, "$.items[*].target")).containsExactly("thing/1");
        assertThat(JsonPath.<Integer>read(last, "$.items[0].before.n")).isZero();
        assertThat(JsonPath.<Integer>read(last, "$.items[0].after.n")).isEqualTo(1);
        assertThat(JsonPath.<String>read(last, "$.items[0].actor")).isEqualTo(actor);
        assertThat(JsonPath.<String>read(last, "$.items[0].at")).isNotBlank();
    }

    @Test
    void filtersByActorActionPrefixAndTarget() {
        String actor = actorWithFiveEntries();
        actorWithFiveEntries(); // another actor's rows on the same targets

        String updates = get("/api/audit?actor={a}&action=thing.up", actor);
        assertThat(JsonPath.<List<String>>read(updates, "$.items[*].target"))
                .containsExactly("thing/2", "thing/1", "thing/1");
        String ofOne = get("/api/audit?actor={a}&target=thing/1", actor);
        assertThat(JsonPath.<List<String>>read(ofOne, "$.items[*].action"))
                .containsExactly("thing.delete", "thing.update", "thing.update");
        String both = get("/api/audit?actor={a}&action=thing.update&target=thing/1", actor);
        assertThat(JsonPath.<Integer>read(both, "$.items.length()")).isEqualTo(2);
        assertThat(JsonPath.<String>read(both, "$.items[0].detail")).isEqualTo("again");
        String literal = get("/api/audit?actor={a}&action=thing_", actor);
        assertThat(JsonPath.<List<String>>read(literal, "$.items[*].action"))
                .as("'_' is a character, not a LIKE wildcard")
                .containsExactly("thing_delete");
    }

    @Test
    void aBadPageOrSizeIsA400NamingTheField() {
        assertThat(fields(mvc.get().uri("/api/audit?page=-1").exchange())).containsExactly("page");
        assertThat(fields(mvc.get().uri("/api/audit?size=0").exchange())).containsExactly("size");
        assertThat(fields(mvc.get().uri("/api/audit?size=201").exchange())).containsExactly("size");
        assertThat(fields(mvc.get().uri("/api/audit?page=-1&size=0").exchange()))
                .containsExactly("page", "size");
        MvcTestResult notANumber = mvc.get().uri("/api/audit?page=first").exchange();
        assertThat(notANumber).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(body(notANumber)).contains("page");
    }

    @Test
    void onlyAnAdminMayReadTheAuditLog() {
        assertThat(mvc.get()
                        .uri("/api/audit")
                        .with(TestSecurity.as("vera", "VIEWER"))
                        .exchange())
                .hasStatus(HttpStatus.FORBIDDEN);
        assertThat(mvc.get()
                        .uri("/api/audit")
                        .with(TestSecurity.as("eric", "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.FORBIDDEN);
        assertThat(mvc.get()
                        .uri("/admin/audit")
                        .with(TestSecurity.as("eric", "ENGINEER"))
                        .exchange())
                .hasStatus(HttpStatus.FORBIDDEN);
        assertThat(mvc.get()
                        .uri("/api/audit")
                        .with(TestSecurity.as("ada", "ADMIN"))
                        .exchange())
                .hasStatus(HttpStatus.OK);
    }

    @Test
    void anEntryCannotBeWrittenOutsideTheChangesTransaction() {
        assertThatThrownBy(() -> audit.record("thing.update", "thing/9", null, null, null))
                .isInstanceOf(IllegalTransactionStateException.class);
        assertThat(new AuditTrail(jdbc).of("thing/9")).isEmpty();
    }

    @Test
    void anEntryRollsBackWithItsChange() {
        String actor = AuditTrail.actor("rolled-back");
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    audit.recordAs(actor, "thing.update", "thing/10", null, null, null);
                    throw new IllegalStateException("the change failed");
                }))
                .hasMessage("the change failed");
        assertThat(new AuditTrail(jdbc).by(actor)).isEmpty();
    }

    private String get(String uri, Object... vars) {
        MvcTestResult result = mvc.get().uri(uri, vars).exchange();
        assertThat(result).hasStatus(HttpStatus.OK);
        return body(result);
    }

    private static List<String> fields(MvcTestResult result) {
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        return JsonPath.read(body(result), "$.errors[*].field");
    }

    private static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
