package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The queue's statements against real PostgreSQL, with fake workers: runs carry a label only the
 * fake workers have, so the embedded worker leaves them alone.
 */
@FulcrumSpringTest
class RunQueueTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunQueue queue;

    ExperimentFixtures fx;
    String label;
    long workerId;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
        label = ExperimentFixtures.unique("queue");
        workerId = jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, concurrency, state,"
                        + " started_at, heartbeat_at) VALUES ('fake', 'test', 'test', 1, 1, 0, 4, 'STOPPED', now(), now())"
                        + " RETURNING id",
                Long.class);
    }

    long queueRun(String extra) {
        return fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, """
                "resources": {"workerLabels": ["%s"]}%s""".formatted(label, extra)));
    }

    RunQueue.WorkerSlot slot() {
        return new RunQueue.WorkerSlot(workerId, 0, List.of(label));
    }

    /** Claims until the queue has nothing for the slot; runs of other tests are given back at once. */
    List<Long> claimAll(Set<Long> mine) {
        List<Long> claimed = new ArrayList<>();
        while (true) {
            Optional<RunQueue.Lease> lease = queue.claim(slot(), Duration.ofMinutes(5));
            if (lease.isEmpty()) {
                return claimed;
            }
            if (mine.contains(lease.get().runId())) {
                claimed.add(lease.get().runId());
            } else {
                queue.givenBack(lease.get(), "not this test's run");
            }
        }
    }

    @Test
    void everyRunIsClaimedExactlyOnceByConcurrentWorkers() throws Exception {
        Set<Long> mine = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            mine.add(queueRun(""));
        }
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> claimAll(mine)));
            }
            for (Future<List<Long>> f : futures) {
                claimed.addAll(f.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(claimed).hasSize(24).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(mine);
        assertThat(jdbc.queryForList(
                        "SELECT DISTINCT state || ':' || attempt || ':' || worker_id FROM run WHERE id = ANY(?)",
                        String.class,
                        (Object) mine.toArray(Long[]::new)))
                .containsExactly("RUNNING:1:" + workerId);
    }

    @Test
    void higherPriorityGoesFirstThenOlder() {
        long low = queueRun("");
        long high = queueRun(", \"priority\": 5");
        long later = queueRun("");

        assertThat(claimAll(Set.of(low, high, later))).containsExactly(high, low, later);
    }

    @Test
    void anExpiredLeaseRequeuesTheRunAndTheLastOneFailsIt() {
        long id = queueRun(", \"maxAttempts\": 2");
        RunQueue.Lease first = claim(id, Duration.ofMillis(100));
        assertThat(queue.checkpointed(first, 1, "runs/" + id + "/checkpoint")).isTrue();
        ExperimentFixtures.sleep(300);
        assertThat(queue.expireLeases(Duration.ofDays(1)))
                .as("within the grace after a database start, nothing expires")
                .isZero();

        queue.expireLeases(Duration.ZERO);

        RunRecord requeued = queue.run(id);
        assertThat(requeued.state()).isEqualTo(RunState.QUEUED);
        assertThat(requeued.reason())
                .isEqualTo("requeued: worker " + workerId
                        + " stopped renewing its lease (attempt 1); resumes from epoch 1");
        assertThat(requeued.workerId()).isNull();
        assertThat(queue.succeeded(first, null, null))
                .as("a lost lease changes nothing")
                .isFalse();

        RunQueue.Lease second = claim(id, Duration.ofMillis(100));
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(queue.renew(workerId, List.of(second), Duration.ofMillis(100)))
                .containsExactly(id);
        ExperimentFixtures.sleep(300);
        queue.expireLeases(Duration.ZERO);

        RunRecord failed = queue.run(id);
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.reason()).isEqualTo("failed: lost its lease 2 times, last on worker " + workerId);
        assertThat(failed.finishedAt()).isNotNull();
    }

    @Test
    void aRunGivenBackAtShutdownKeepsItsCheckpointAndDoesNotCountAsLost() {
        long id = queueRun("");
        RunQueue.Lease lease = claim(id, Duration.ofMinutes(1));
        queue.checkpointed(lease, 3, "runs/" + id + "/checkpoint");

        assertThat(queue.givenBack(lease, "given back at shutdown")).isTrue();

        RunRecord run = queue.run(id);
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.lostLeases()).isZero();
        assertThat(run.checkpointEpoch()).isEqualTo(3);
        assertThat(claim(id, Duration.ofMinutes(1)).attempt()).isEqualTo(2);
    }

    private RunQueue.Lease claim(long id, Duration lease) {
        while (true) {
            RunQueue.Lease claimed = queue.claim(slot(), lease).orElseThrow();
            if (claimed.runId() == id) {
                return claimed;
            }
            queue.givenBack(claimed, "not this test's run");
        }
    }
}
