package io.fulcrum.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.system.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The server (the packaged jar, with its embedded worker as deployed by default) is stopped in the
 * middle of a study, once with SIGTERM and once with SIGKILL, and started again on the same
 * PostgreSQL, while an external worker trains on. The study must complete with every run SUCCEEDED
 * and a whole metric history each, and its comparison must hold every model, seed and verdict.
 */
class ServerRestartIT {

    static final Path DIR = Path.of("target", "it-faults", "server-restart");
    static final String SERVER_WORKER = "server";
    static final int EPOCHS = 6;
    static final int BATCH = 32;

    @Test
    void aStudySurvivesItsServerBeingTerminatedAndKilled() throws Exception {
        try (ExternalPostgres db = ExternalPostgres.start(DIR.resolve("pg"))) {
            db.migrate();
            JdbcTemplate jdbc = db.jdbc();
            Credentials credentials = Credentials.create(jdbc);
            List<String> serverArgs = new ArrayList<>(Faults.SHORT_LEASES);
            serverArgs.add("--fulcrum.worker.name=" + SERVER_WORKER);

            // 1. The server alone trains the study's first run; SIGTERM while it trains.
            FulcrumJar first = FulcrumJar.server("server-1", db, DIR, Faults.QUICK_START_JVM, serverArgs);
            int port = first.port();
            long study;
            long dataset;
            long givenBack;
            try (first) {
                first.awaitHealthy(Duration.ofMinutes(3));
                ApiClient api = new ApiClient(first.base(), credentials.admin);
                dataset = Faults.create(api, "/api/datasets", Faults.SYNTHETIC_DATASET);
                long group = Faults.create(api, "/api/task-groups", Faults.SYNTHETIC_TASKS);
                study = Faults.create(api, "/api/studies", """
                        {"name": "server-restart", "taskGroupId": %d, "datasetId": %d,
                         "models": [{"architecture": "ple", "experts": {"shared": 1, "perTask": 1, "units": [8]},
                                     "towerUnits": [8]}],
                         "seeds": [1, 2],
                         "training": {"epochs": %d, "batchSize": %d, "learningRate": 0.005, "patience": 0}}""".formatted(group, dataset, EPOCHS, BATCH));
                givenBack = awaitTrainingOn(jdbc, study, SERVER_WORKER, first);
                first.terminate(Duration.ofSeconds(60));
            }
            Map<String, Object> afterTerm =
                    jdbc.queryForMap("SELECT state, lost_leases, reason FROM run WHERE id = ?", givenBack);
            assertThat(afterTerm)
                    .as("a terminated server's worker gives its run back, not lost")
                    .containsEntry("state", "QUEUED")
                    .containsEntry("lost_leases", 0);
            assertThat((String) afterTerm.get("reason")).contains("given back by worker " + SERVER_WORKER);

            // 2. The server again, alone so that its worker takes a run; SIGKILL while that run trains.
            long killed;
            try (FulcrumJar second = FulcrumJar.server("server-2", db, DIR, port, Faults.QUICK_START_JVM, serverArgs)) {
                second.awaitHealthy(Duration.ofMinutes(3));
                killed = awaitTrainingOn(jdbc, study, SERVER_WORKER, second);
                second.kill();
            }
            assertThat(jdbc.queryForObject("SELECT state FROM run WHERE id = ?", String.class, killed))
                    .as("the killed server's run still looks RUNNING until its lease expires")
                    .isEqualTo("RUNNING");

            // 3. An external worker trains on while the server starts once more, on the same port; the
            // killed run's lease expires and it resumes from its checkpoint; the study must finish whole.
            try (FulcrumJar worker = FulcrumJar.worker(
                            "external", db, DIR, credentials.worker, Faults.QUICK_START_JVM, Faults.SHORT_LEASES);
                    FulcrumJar third =
                            FulcrumJar.server("server-3", db, DIR, port, Faults.QUICK_START_JVM, serverArgs)) {
                third.awaitHealthy(Duration.ofMinutes(3));
                ApiClient api = new ApiClient(third.base(), credentials.admin);
                Faults.await(
                        Duration.ofMinutes(3),
                        () -> JsonPath.<List<String>>read(api.get("/api/studies/" + study), "$.runs[*].state").stream()
                                .allMatch(Faults::finished),
                        () -> third.tail() + "\n" + worker.tail());

                List<Map<String, Object>> runs = jdbc.queryForList(
                        "SELECT r.id, r.state, r.attempt, r.lost_leases, r.checkpoint_epoch,"
                                + " round(extract(epoch FROM r.finished_at - r.started_at)) AS wall_s,"
                                + " r.result ->> 'trainSeconds' AS train_s, w.name AS worker FROM run r"
                                + " JOIN study_run s ON s.run_id = r.id LEFT JOIN worker w ON w.id = r.worker_id"
                                + " WHERE s.study_id = ? ORDER BY r.id",
                        study);
                System.out.printf(
                        "ServerRestartIT: run %d given back at SIGTERM, run %d lost at SIGKILL; runs %s%n",
                        givenBack, killed, runs);
                assertThat(runs).hasSize(4);
                assertThat(runs)
                        .as(third.tail() + "\n" + worker.tail())
                        .extracting(r -> r.get("state"))
                        .containsOnly("SUCCEEDED");
                for (Map<String, Object> run : runs) {
                    Faults.assertWholeHistory(jdbc, (Long) run.get("id"), EPOCHS, BATCH, dataset);
                }
                Map<String, Object> lost = runs.stream()
                        .filter(r -> r.get("id").equals(killed))
                        .findFirst()
                        .orElseThrow();
                assertThat(lost)
                        .as("the killed server's run was requeued once and resumed")
                        .containsEntry("lost_leases", 1);
                assertThat((Integer) lost.get("attempt")).isGreaterThanOrEqualTo(2);

                String comparison = api.get("/api/studies/" + study + "/comparison");
                assertThat(JsonPath.<Boolean>read(comparison, "$.complete")).isTrue();
                assertThat(JsonPath.<List<String>>read(comparison, "$.models[*].model"))
                        .containsExactly("single", "ple");
                assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[*].seedsDone"))
                        .containsExactly(2, 2);
                assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[*].seedsTotal"))
                        .containsExactly(2, 2);
                assertThat(JsonPath.<String>read(comparison, "$.models[1].verdict"))
                        .as("two seeds are too few for a verdict")
                        .isEqualTo("INCONCLUSIVE");
                for (String task : List.of("y1", "y2")) {
                    assertThat(JsonPath.<List<Integer>>read(comparison, "$.models[*].tasks." + task + ".value.n"))
                            .containsExactly(2, 2);
                    assertThat(JsonPath.<Integer>read(comparison, "$.models[1].tasks." + task + ".gain.n"))
                            .isEqualTo(2);
                }
            }
        }
    }

    /**
     * Waits until the named worker of {@code server} trains a run of the study past its first
     * checkpoint, and returns that run.
     */
    private static long awaitTrainingOn(JdbcTemplate jdbc, long study, String worker, FulcrumJar server) {
        long[] run = new long[1];
        Faults.await(
                Duration.ofMinutes(2),
                () -> {
                    List<Long> training = jdbc.queryForList(
                            "SELECT r.id FROM run r JOIN study_run s ON s.run_id = r.id JOIN worker w ON w.id = r.worker_id"
                                    + " WHERE s.study_id = ? AND w.name = ? AND w.state = 'ACTIVE'"
                                    + " AND r.state = 'RUNNING' AND r.checkpoint_epoch >= 1 AND r.checkpoint_epoch < ?",
                            Long.class,
                            study,
                            worker,
                            EPOCHS - 1);
                    if (training.isEmpty()) {
                        return false;
                    }
                    run[0] = training.get(0);
                    return true;
                },
                server::tail);
        return run[0];
    }
}
