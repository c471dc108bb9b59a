package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@FulcrumSpringTest
class WorkerAuditTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    /** A worker row with no process behind it; only a worker process claims runs, and this one has none. */
    long idleWorker(String state) {
        return jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, gpu_names, labels,"
                        + " concurrency, state, started_at, heartbeat_at)"
                        + " VALUES (?, 'audit-box', 'test', 1, 1073741824, 0, '[]', '[\"audit-only\"]', 1, ?, now(),"
                        + " now()) RETURNING id",
                Long.class,
                "audit-" + UUID.randomUUID().toString().substring(0, 8),
                state);
    }

    @Test
    void drainingAWorkerIsRecordedOnce_withItsStateBeforeAndAfter() {
        AuditTrail audit = new AuditTrail(jdbc);
        String alice = AuditTrail.actor("alice");
        long id = idleWorker("ACTIVE");

        assertThat(mvc.post()
                        .uri("/api/workers/{id}/drain", id)
                        .with(TestSecurity.as(alice, "ADMIN"))
                        .exchange())
                .hasStatus(HttpStatus.OK);
        assertThat(mvc.post()
                        .uri("/api/workers/{id}/drain", id)
                        .with(TestSecurity.as(alice, "ADMIN"))
                        .exchange())
                .as("draining a draining worker changes nothing")
                .hasStatus(HttpStatus.OK);

        AuditTrail.Row drain = audit.single("worker/" + id, "worker.drain");
        assertThat(drain.actor()).isEqualTo(alice);
        assertThat(drain.detail()).startsWith("audit-");
        assertThat(drain.before().get("state").asString()).isEqualTo("ACTIVE");
        assertThat(drain.after().get("state").asString()).isEqualTo("DRAINING");
    }

    @Test
    void aRefusedDrainLeavesNoAuditRow() {
        AuditTrail audit = new AuditTrail(jdbc);
        String bob = AuditTrail.actor("bob");
        long id = idleWorker("STOPPED");

        assertThat(mvc.post()
                        .uri("/api/workers/{id}/drain", id)
                        .with(TestSecurity.as(bob, "ADMIN"))
                        .exchange())
                .hasStatus(HttpStatus.CONFLICT);

        assertThat(audit.by(bob)).isEmpty();
        assertThat(audit.of("worker/" + id)).isEmpty();
    }
}
