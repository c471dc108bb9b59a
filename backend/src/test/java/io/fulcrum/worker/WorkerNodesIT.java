package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.TestSecurity;
import io.fulcrum.database.EmbeddedPostgresServer;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.faults.Faults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * Worker nodes as separate JVMs (the packaged jar) on the test's PostgreSQL; this JVM is the server,
 * without an embedded worker. Proves the queue hands every run to exactly one worker, that a run
 * whose worker is SIGKILLed resumes elsewhere from its checkpoint with a whole metric history, and
 * that a worker process needs an active WORKER token to start and to keep taking runs.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "fulcrum.worker.embedded=false",
            "fulcrum.database.embedded.data-dir=target/it-pg",
            "fulcrum.data-dir=target/it-data"
        })
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import(TestSecurity.class)
class WorkerNodesIT {

    static final Path LOGS = Path.of("target/it-workers");

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EmbeddedPostgresServer.Lease postgres;

    @Autowired
    ApplicationContext context;

    ExperimentFixtures fx;

    /** The WORKER token every worker of a test presents. */
    String token;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
        token = TestSecurity.workerToken(context);
    }

    @Test
    void twoWorkersShareAStudyAndEveryRunExecutesOnce() throws Exception {
        try (WorkerProcess a = WorkerProcess.start("worker-a", postgres.port(), LOGS, token);
                WorkerProcess b = WorkerProcess.start("worker-b", postgres.port(), LOGS, token)) {
            long study = fx.create("/api/studies", """
                    {"name": "%s", "taskGroupId": %d, "datasetId": %d,
                     "models": [{"architecture": "mmoe", "experts": {"shared": 3, "units": [8]}, "towerUnits": [8]},
                                {"architecture": "ple", "experts": {"shared": 1, "perTask": 1, "units": [8]}, "towerUnits": [8]}],
                     "seeds": [1, 2, 3], "training": {"epochs": 3, "batchSize": 64, "learningRate": 0.01, "patience": 0}}""".formatted(
                            ExperimentFixtures.unique("two-workers"), fx.taskGroup(), fx.dataset()));

            await(
                    Duration.ofMinutes(4),
                    () -> {
                        List<String> states = JsonPath.read(fx.get("/api/studies/{id}", study), "$.runs[*].state");
                        return states.stream().allMatch(s -> s.equals("SUCCEEDED") || s.equals("FAILED"));
                    },
                    () -> a.log() + "\n" + b.log());

            List<Map<String, Object>> runs = jdbc.queryForList(
                    "SELECT r.state, r.attempt, r.lost_leases, w.name FROM run r JOIN worker w ON w.id = r.worker_id"
                            + " JOIN study_run s ON s.run_id = r.id WHERE s.study_id = ?",
                    study);
            assertThat(runs).hasSize(9);
            assertThat(runs).extracting(r -> r.get("state")).containsOnly("SUCCEEDED");
            assertThat(runs)
                    .as("claimed once each")
                    .extracting(r -> r.get("attempt"))
                    .containsOnly(1);
            assertThat(runs).extracting(r -> r.get("name")).contains("worker-a", "worker-b");

            String comparison = fx.get("/api/studies/{id}/comparison", study);
            assertThat(JsonPath.<List<String>>read(comparison, "$.models[*].model"))
                    .containsExactly("single", "mmoe", "ple");
            assertThat(JsonPath.<List<String>>read(comparison, "$.models[1:].verdict"))
                    .as("three seeds each: a verdict, not INCONCLUSIVE")
                    .hasSize(2)
                    .doesNotContainNull()
                    .doesNotContain("INCONCLUSIVE");
            assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[*].seedsDone"))
                    .containsOnly(3);
        }
    }

    @Test
    void workersWithoutTheServersDataDirectoryTrainAStudyFromTheArtifactStore() throws Exception {
        long dataset = fx.create("/api/datasets", """
                {"name": "%s", "kind": "SYNTHETIC",
                 "spec": {"correlation": 0.8, "samples": 1200, "dimension": 8, "seed": 21}}""".formatted(ExperimentFixtures.unique("no-shared-disk")));
        long study = fx.create(
                "/api/studies", """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d,
                 "models": [{"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]}],
                 "seeds": [1, 2], "training": {"epochs": 2, "batchSize": 64, "learningRate": 0.01, "patience": 0}}""".formatted(ExperimentFixtures.unique("no-shared-disk"), fx.taskGroup(), dataset));
        // what a worker on another machine sees: not the server's directory (each worker has its own)
        Path serverCache =
                Path.of(jdbc.queryForObject("SELECT cache_dir FROM dataset WHERE id = ?", String.class, dataset));
        Path hidden = serverCache.resolveSibling(serverCache.getFileName() + "-not-mounted");
        java.nio.file.Files.move(serverCache, hidden);
        try (WorkerProcess a = WorkerProcess.start("remote-a", postgres.port(), LOGS, token);
                WorkerProcess b = WorkerProcess.start("remote-b", postgres.port(), LOGS, token)) {
            await(
                    Duration.ofMinutes(4),
                    () -> {
                        List<String> states = JsonPath.read(fx.get("/api/studies/{id}", study), "$.runs[*].state");
                        return states.stream().allMatch(st -> st.equals("SUCCEEDED") || st.equals("FAILED"));
                    },
                    () -> a.log() + "\n" + b.log());

            List<String> states = JsonPath.read(fx.get("/api/studies/{id}", study), "$.runs[*].state");
            assertThat(states).as(a.log() + "\n" + b.log()).hasSize(4).containsOnly("SUCCEEDED");
            String sha = jdbc.queryForObject("SELECT cache_sha256 FROM dataset WHERE id = ?", String.class, dataset);
            assertThat(a.log() + b.log()).contains("Fetched dataset cache " + sha);
            // each worker keeps its copy in its own data directory
            for (String worker : List.of("remote-a", "remote-b")) {
                Path local = LOGS.resolve(worker).resolve("dataset-cache").resolve(sha);
                if (java.nio.file.Files.isDirectory(local)) {
                    assertThat(local.resolve("preprocessing.json")).isRegularFile();
                }
            }
        } finally {
            java.nio.file.Files.move(hidden, serverCache);
        }
    }

    @Test
    void aKilledWorkersRunResumesFromItsCheckpointOnAnotherWorker() throws Exception {
        long run;
        int killedAfter;
        try (WorkerProcess doomed = WorkerProcess.start("doomed", postgres.port(), LOGS, token)) {
            run = fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, """
                    {"epochs": 12, "batchSize": 16, "learningRate": 0.005, "patience": 0}""", ""));
            await(Duration.ofMinutes(2), () -> checkpointEpoch(run) >= 2, doomed::log);
            doomed.kill();
            killedAfter = checkpointEpoch(run);
        }
        try (WorkerProcess survivor = WorkerProcess.start("survivor", postgres.port(), LOGS, token)) {
            String done = fx.awaitRun(run, Duration.ofMinutes(3), ExperimentFixtures.inState("SUCCEEDED", "FAILED"));

            assertThat(JsonPath.<String>read(done, "$.state"))
                    .as(survivor.log())
                    .isEqualTo("SUCCEEDED");
            assertThat(JsonPath.<Integer>read(done, "$.attempt")).isEqualTo(2);
            assertThat(survivor.log()).contains("resuming after epoch");
            assertThat(JsonPath.<Integer>read(done, "$.result.epochsRun")).isEqualTo(12);

            Faults.assertOneLossPointPerStep(jdbc, run, 12, 16, fx.dataset(), "killed after epoch " + killedAfter);
            assertThat(jdbc.queryForList(
                            "SELECT epoch FROM run_metric WHERE run_id = ? AND name = 'epoch_loss' AND task = 'y1'"
                                    + " ORDER BY step",
                            Integer.class,
                            run))
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        }
    }

    @Test
    void aTerminatedWorkerGivesItsRunBack() throws Exception {
        long run;
        try (WorkerProcess leaving = WorkerProcess.start("leaving", postgres.port(), LOGS, token)) {
            run = fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, """
                    {"epochs": 200, "batchSize": 16, "patience": 0}""", ""));
            await(Duration.ofMinutes(2), () -> checkpointEpoch(run) >= 1, leaving::log);
            leaving.terminate(Duration.ofSeconds(30));
        }
        String queued = fx.get("/api/runs/{id}", run);
        assertThat(JsonPath.<String>read(queued, "$.state")).isEqualTo("QUEUED");
        assertThat(JsonPath.<String>read(queued, "$.reason")).contains("given back by worker leaving at shutdown");
        assertThat(JsonPath.<Integer>read(queued, "$.checkpointEpoch")).isPositive();
        assertThat(jdbc.queryForObject("SELECT lost_leases FROM run WHERE id = ?", Integer.class, run))
                .isZero();
        fx.post("/api/runs/" + run + "/cancel", "");
    }

    @Test
    void aDrainedWorkerFinishesItsRunAndTakesNoOther() throws Exception {
        try (WorkerProcess draining = WorkerProcess.start("draining", postgres.port(), LOGS, token)) {
            long first = fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, """
                    {"epochs": 6, "batchSize": 16, "patience": 0}""", ""));
            fx.awaitRun(first, Duration.ofMinutes(2), ExperimentFixtures.inState("RUNNING"));
            long worker = jdbc.queryForObject("SELECT worker_id FROM run WHERE id = ?", Long.class, first);

            String drained = ExperimentFixtures.body(
                    mvc.post().uri("/api/workers/{id}/drain", worker).exchange());
            assertThat(JsonPath.<String>read(drained, "$.state")).isEqualTo("DRAINING");
            assertThat(JsonPath.<List<Integer>>read(drained, "$.currentRuns")).containsExactly((int) first);
            long second = fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, ExperimentFixtures.QUICK, ""));

            String done = fx.awaitRun(first, Duration.ofMinutes(2), ExperimentFixtures.inState("SUCCEEDED", "FAILED"));
            assertThat(JsonPath.<String>read(done, "$.state")).isEqualTo("SUCCEEDED");
            ExperimentFixtures.sleep(1500); // several claim rounds
            String waiting = fx.get("/api/runs/{id}", second);
            assertThat(JsonPath.<String>read(waiting, "$.state")).isEqualTo("QUEUED");
            assertThat(JsonPath.<String>read(waiting, "$.reason")).startsWith("waiting");
            fx.post("/api/runs/" + second + "/cancel", "");
        }
    }

    @Test
    void aWorkerWithoutAWorkerTokenDoesNotStart() throws Exception {
        String serving = TestSecurity.servingToken(context);
        try (WorkerProcess none = WorkerProcess.start("no-token", postgres.port(), LOGS, "");
                WorkerProcess wrongKind = WorkerProcess.start("serving-token", postgres.port(), LOGS, serving)) {
            assertThat(none.awaitExit(Duration.ofMinutes(5))).isNotZero();
            assertThat(wrongKind.awaitExit(Duration.ofMinutes(5))).isNotZero();

            assertThat(none.log()).contains("This worker cannot start: a worker process needs a WORKER token");
            assertThat(wrongKind.log()).contains("is a SERVING token; a worker needs a WORKER token");
            assertThat(wrongKind.log()).as("the secret is never logged").doesNotContain(serving);
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM worker WHERE name IN ('no-token', 'serving-token')", Integer.class))
                    .as("registered nothing")
                    .isZero();
        }
    }

    @Test
    void aWorkerWhoseTokenIsRevokedFinishesItsRunAndTakesNoOther() throws Exception {
        try (WorkerProcess revoked = WorkerProcess.start("revoked", postgres.port(), LOGS, token)) {
            long first = fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, """
                    {"epochs": 6, "batchSize": 16, "patience": 0}""", ""));
            fx.awaitRun(first, Duration.ofMinutes(2), ExperimentFixtures.inState("RUNNING"));
            long worker = jdbc.queryForObject("SELECT worker_id FROM run WHERE id = ?", Long.class, first);
            long tokenId = jdbc.queryForObject(
                    "SELECT id FROM api_token WHERE secret_sha256 = encode(sha256(convert_to(?, 'UTF8')), 'hex')",
                    Long.class,
                    token);

            assertThat(mvc.delete().uri("/api/tokens/{id}", tokenId)).hasStatusOk();

            await(
                    Duration.ofSeconds(30),
                    () -> JsonPath.<String>read(fx.get("/api/workers/{id}", worker), "$.state")
                            .equals("DRAINING"),
                    revoked::log);
            assertThat(revoked.log()).contains("takes no new runs: the worker token", "unknown, expired or revoked");
            assertThat(revoked.log()).doesNotContain(token);
            long second = fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, ExperimentFixtures.QUICK, ""));
            String done = fx.awaitRun(first, Duration.ofMinutes(2), ExperimentFixtures.inState("SUCCEEDED", "FAILED"));
            assertThat(JsonPath.<String>read(done, "$.state")).isEqualTo("SUCCEEDED");
            ExperimentFixtures.sleep(1500); // several claim rounds
            assertThat(JsonPath.<String>read(fx.get("/api/runs/{id}", second), "$.state"))
                    .isEqualTo("QUEUED");
            fx.post("/api/runs/" + second + "/cancel", "");
        }
    }

    int checkpointEpoch(long run) {
        return jdbc.queryForObject("SELECT checkpoint_epoch FROM run WHERE id = ?", Integer.class, run);
    }

    static void await(Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within " + timeout + "\n" + context.get());
            }
            ExperimentFixtures.sleep(200);
        }
    }
}
