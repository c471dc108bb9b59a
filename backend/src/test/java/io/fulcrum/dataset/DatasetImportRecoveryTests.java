package io.fulcrum.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.AuditTrail;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.security.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Background imports across server restarts, against the test database. A "restarted server" is a
 * second {@link DatasetImports} over the same beans; the context's own one only drains on start() in
 * tests ({@code fulcrum.datasets.import-check=1h}), so the recovery seen here is the second one's.
 */
@FulcrumSpringTest
class DatasetImportRecoveryTests {

    static final String DEAD_SERVER = "gone-host:4242:deadbeef";

    @Autowired
    DatasetManagement datasets;

    @Autowired
    ImportJobStore store;

    @Autowired
    DatasetImports imports;

    @Autowired
    AuditLog audit;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path tmp;

    DatasetImports restarted;

    @AfterEach
    void stopRestartedServer() {
        if (restarted != null) {
            restarted.stop();
        }
    }

    DatasetImports restartedServer() {
        restarted = new DatasetImports(datasets, store, audit, transactions, json, Duration.ofSeconds(30), "server");
        return restarted;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Path csv(int rows) throws IOException {
        StringBuilder text = new StringBuilder("y,x\n");
        for (int i = 0; i < rows; i++) {
            text.append(i % 2).append(',').append(i * 0.5).append('\n');
        }
        Path file = tmp.resolve(unique("data") + ".csv");
        Files.writeString(file, text);
        return file;
    }

    static DatasetRequest fileRequest(String name, Path file) {
        return new DatasetRequest(
                name,
                "FILE",
                new DatasetRequest.FileSource(file.toString(), null, null, null, null),
                null,
                null,
                null,
                null);
    }

    /** A job that a server claimed and then died on: RUNNING, its heartbeat an hour old, half its file read. */
    String jobLeftRunning(DatasetRequest request, long totalBytes) {
        String id = UUID.randomUUID().toString();
        store.insert(id, request.name(), request, totalBytes, "erin");
        while (true) {
            // claims the oldest queued job: there may be an older one another test left, which goes back
            ImportJobStore.Claim claim = store.claimNext(DEAD_SERVER).orElseThrow();
            if (claim.id().equals(id)) {
                break;
            }
            jdbc.update("UPDATE import_job SET state = 'QUEUED', owner = NULL WHERE id = ?", claim.id());
        }
        jdbc.update(
                "UPDATE import_job SET heartbeat_at = now() - interval '1 hour', bytes_read = ? WHERE id = ?",
                totalBytes / 2,
                id);
        return id;
    }

    ImportJobView awaitFinished(String id) throws InterruptedException {
        ImportJobView job = imports.get(id);
        for (int i = 0; i < 600 && job.state().equals("RUNNING"); i++) {
            Thread.sleep(50);
            job = imports.get(id);
        }
        return job;
    }

    int attempt(String id) {
        return jdbc.queryForObject("SELECT attempt FROM import_job WHERE id = ?", Integer.class, id);
    }

    @Test
    void aJobLeftRunningByAStoppedServerRunsAgainFromTheStartAndRegistersItsDatasetOnce() throws Exception {
        Path file = csv(3000);
        String name = unique("survivor");
        String id = jobLeftRunning(fileRequest(name, file), Files.size(file));
        Path datasetsDir = datasets.datasetsDir();
        Path partialCache = Files.createDirectories(datasetsDir.resolve(id + "-0badc0de"));
        Files.writeString(partialCache.resolve("000.f32"), "half a column");
        Path partialStaging = Files.createDirectories(datasetsDir.resolve(id + "-0badc0de.importing-1234"));
        assertThat(imports.get(id).state()).isEqualTo("RUNNING");

        restartedServer().recover();
        ImportJobView job = awaitFinished(id);

        assertThat(job.state()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.progress()).isEqualTo(1.0);
        assertThat(job.bytesRead()).isEqualTo(Files.size(file));
        assertThat(attempt(id)).isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dataset WHERE lower(name) = lower(?)", Integer.class, name))
                .isEqualTo(1);
        assertThat(datasets.get(job.datasetId()).rows()).isEqualTo(3000);
        assertThat(partialCache).doesNotExist();
        assertThat(partialStaging).doesNotExist();
        try (Stream<Path> left = Files.list(datasetsDir)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(id)))
                    .as("only the registered dataset's cache")
                    .containsExactly(Path.of(jdbc.queryForObject(
                            "SELECT cache_dir FROM dataset WHERE id = ?", String.class, job.datasetId())));
        }
        AuditTrail trail = new AuditTrail(jdbc);
        assertThat(trail.single("dataset-import/" + id, "dataset-import.requeue")
                        .detail())
                .contains("attempt 1");
        assertThat(trail.single("dataset/" + job.datasetId(), "dataset.create").actor())
                .as("registered as the user who started it")
                .isEqualTo("erin");

        restarted.recover();
        assertThat(attempt(id)).as("a finished job is never re-run").isEqualTo(2);
    }

    @Test
    void aGracefulShutdownHandsItsRunningJobBackWithoutCountingTheAttemptAndRegistersNothing() throws Exception {
        Path file = csv(1_000_000);
        String name = unique("interrupted");
        String id = UUID.randomUUID().toString();
        store.insert(id, name, fileRequest(name, file), Files.size(file), "erin");
        DatasetImports server = restartedServer();
        server.recover();
        for (int i = 0; i < 200 && !server.owner().equals(owner(id)); i++) {
            Thread.sleep(10);
        }
        assertThat(owner(id)).as("claimed by the server that stops").isEqualTo(server.owner());

        server.stop();

        assertThat(jdbc.queryForObject("SELECT state FROM import_job WHERE id = ?", String.class, id))
                .isEqualTo("QUEUED");
        assertThat(attempt(id)).isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dataset WHERE lower(name) = lower(?)", Integer.class, name))
                .isZero();
        try (Stream<Path> left = Files.list(datasets.datasetsDir())) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(id)))
                    .isEmpty();
        }
        jdbc.update("DELETE FROM import_job WHERE id = ?", id);
    }

    String owner(String id) {
        return jdbc.queryForObject("SELECT owner FROM import_job WHERE id = ?", String.class, id);
    }

    @Test
    void aRerunWhoseSourceFileIsGoneFailsSayingSo() throws Exception {
        Path file = csv(10);
        String id = jobLeftRunning(fileRequest(unique("orphan"), file), Files.size(file));
        Files.delete(file);

        restartedServer().recover();
        ImportJobView job = awaitFinished(id);

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.errors().get(0).rule()).isEqualTo("still-there");
        assertThat(job.errors().get(0).message()).contains("source file is gone");
        assertThat(job.errors()).extracting(e -> e.field()).contains("file.path");
        assertThat(job.datasetId()).isNull();
    }

    @Test
    void aJobInterruptedTooOftenFailsInsteadOfRunningAgain() throws Exception {
        Path file = csv(10);
        String id = jobLeftRunning(fileRequest(unique("crashy"), file), Files.size(file));
        jdbc.update("UPDATE import_job SET attempt = ? WHERE id = ?", DatasetImports.MAX_ATTEMPTS, id);

        restartedServer().recover();

        ImportJobView job = imports.get(id);
        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.errors().get(0).message()).contains("interrupted 3 times");
        assertThat(attempt(id)).isEqualTo(DatasetImports.MAX_ATTEMPTS);
    }

    @Test
    void aJobWhoseServerStillReportsIsLeftAlone() throws Exception {
        Path file = csv(10);
        String id = jobLeftRunning(fileRequest(unique("alive"), file), Files.size(file));
        jdbc.update("UPDATE import_job SET heartbeat_at = now() WHERE id = ?", id);
        try {
            restartedServer().recover();

            assertThat(jdbc.queryForObject("SELECT state FROM import_job WHERE id = ?", String.class, id))
                    .isEqualTo("RUNNING");
            assertThat(jdbc.queryForObject("SELECT owner FROM import_job WHERE id = ?", String.class, id))
                    .isEqualTo(DEAD_SERVER);
        } finally {
            jdbc.update("DELETE FROM import_job WHERE id = ?", id);
        }
    }

    @Test
    void whileOneServerClaimsAJobAnotherSkipsItWithoutWaiting() throws Exception {
        String id = UUID.randomUUID().toString();
        store.insert(id, unique("contested"), fileRequest("contested", tmp.resolve("none.csv")), 0, "erin");
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        CompletableFuture<List<String>> serverA = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            List<String> ids = new java.util.ArrayList<>();
            // everything queued, oldest first, until this test's job: all held locked until release
            for (Optional<ImportJobStore.Claim> c = store.claimNext("server-a");
                    c.isPresent();
                    c = store.claimNext("server-a")) {
                ids.add(c.get().id());
                if (c.get().id().equals(id)) {
                    break;
                }
            }
            claimed.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ids;
        }));
        try {
            assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

            Optional<ImportJobStore.Claim> serverB = CompletableFuture.supplyAsync(() -> store.claimNext("server-b"))
                    .get(5, TimeUnit.SECONDS);

            assertThat(serverB)
                    .as("the locked job is skipped, not waited for or taken twice")
                    .isEmpty();
        } finally {
            release.countDown();
        }
        assertThat(serverA.get(10, TimeUnit.SECONDS)).contains(id);
        assertThat(jdbc.queryForObject("SELECT owner FROM import_job WHERE id = ?", String.class, id))
                .isEqualTo("server-a");
        assertThat(store.giveBack("server-a"))
                .as("a graceful shutdown hands its jobs back")
                .isPositive();
        assertThat(jdbc.queryForObject("SELECT state FROM import_job WHERE id = ?", String.class, id))
                .isEqualTo("QUEUED");
        assertThat(attempt(id)).as("the interrupted attempt does not count").isZero();
        jdbc.update("DELETE FROM import_job WHERE id = ?", id);
    }

    @Test
    void keepsTheNewestFinishedJobs() {
        String oldest = UUID.randomUUID().toString();
        String older = UUID.randomUUID().toString();
        for (String id : List.of(oldest, older)) {
            store.insert(id, unique("old"), fileRequest("old", tmp.resolve("old.csv")), 0, "erin");
        }
        jdbc.update(
                "UPDATE import_job SET state = 'FAILED', created_at = timestamp with time zone '2001-01-01 00:00Z'"
                        + " + (CASE WHEN id = ? THEN interval '0' ELSE interval '1 day' END) WHERE id IN (?, ?)",
                oldest,
                oldest,
                older);
        int finished = jdbc.queryForObject(
                "SELECT count(*) FROM import_job WHERE state IN ('SUCCEEDED', 'FAILED')", Integer.class);

        assertThat(store.prune(finished - 1)).isEqualTo(1);

        assertThat(store.find(oldest)).isEmpty();
        assertThat(store.find(older)).isPresent();
        jdbc.update("DELETE FROM import_job WHERE id = ?", older);
    }
}
