package io.fulcrum.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.system.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL crashes and comes back while a server (the packaged jar) trains runs on its embedded
 * worker and takes in events. Nothing may be lost: every run ends SUCCEEDED with one metric point per
 * training step, the server answers again without being restarted, and the events stored are exactly
 * the distinct events sent (the client re-posts what failed during the outage).
 */
class PostgresRestartIT {

    static final Path DIR = Path.of("target", "it-faults", "postgres-restart");
    static final Duration OUTAGE = Duration.ofSeconds(5);

    @Test
    void runsAndEventsSurviveAPostgresCrash() throws Exception {
        try (ExternalPostgres db = ExternalPostgres.start(DIR.resolve("pg"))) {
            db.migrate();
            JdbcTemplate jdbc = db.jdbc();
            Credentials credentials = Credentials.create(jdbc);
            try (FulcrumJar server = FulcrumJar.server("server", db, DIR, Faults.QUICK_START_JVM, List.of())) {
                server.awaitHealthy(Duration.ofMinutes(3));
                ApiClient api = new ApiClient(server.base(), credentials.admin);
                long dataset = Faults.create(api, "/api/datasets", Faults.SYNTHETIC_DATASET);
                long group = Faults.create(api, "/api/task-groups", Faults.SYNTHETIC_TASKS);
                // the first run trains across the outage; the others wait in the queue through it
                List<Long> runs = new ArrayList<>();
                runs.add(Faults.create(api, "/api/runs", run(group, dataset, 16, 32)));
                runs.add(Faults.create(api, "/api/runs", run(group, dataset, 2, 256)));
                runs.add(Faults.create(api, "/api/runs", run(group, dataset, 2, 256)));

                EventPoster events = new EventPoster(server.base(), credentials.serving, "pg-", Duration.ofMinutes(2));
                AtomicBoolean posting = new AtomicBoolean(true);
                AtomicReference<Throwable> posterFailed = new AtomicReference<>();
                Thread poster = new Thread(
                        () -> {
                            try {
                                while (posting.get()) {
                                    events.post(200, List.of());
                                    Faults.sleep(100);
                                }
                            } catch (Throwable t) {
                                posterFailed.set(t);
                            }
                        },
                        "event-poster");
                poster.start();

                Faults.await(
                        Duration.ofMinutes(2),
                        () -> checkpointEpoch(jdbc, runs.get(0)) >= 2 && events.batches() >= 3,
                        server::tail);
                String trainingAtCrash =
                        jdbc.queryForObject("SELECT state FROM run WHERE id = ?", String.class, runs.get(0));
                long storedBeforeCrash = events.distinctSent();
                db.crash();
                long down = System.nanoTime();
                Faults.sleep(OUTAGE.toMillis());
                db.startAgain();
                double outage = Faults.seconds(down);

                // the same server process answers again, its pool reconnected by itself
                long back = System.nanoTime();
                server.awaitHealthy(Duration.ofMinutes(1));
                assertThat(api.get("/api/runs/" + runs.get(0))).contains("\"id\"");
                double recovered = Faults.seconds(back);
                // events keep flowing after the outage before the count is taken
                long batchesBack = events.batches();
                Faults.await(Duration.ofMinutes(1), () -> events.batches() >= batchesBack + 5, server::tail);
                posting.set(false);
                poster.join(Duration.ofMinutes(2).toMillis());
                assertThat(posterFailed.get()).as("the event client").isNull();

                for (long run : runs) {
                    Faults.await(Duration.ofMinutes(3), () -> Faults.finished(Faults.state(api, run)), server::tail);
                }
                List<Map<String, Object>> finished = jdbc.queryForList(
                        "SELECT id, state, attempt, lost_leases, reason, round(extract(epoch FROM finished_at - started_at)) AS wall_s,"
                                + " result ->> 'trainSeconds' AS train_s FROM run WHERE id = ANY(?) ORDER BY id",
                        (Object) runs.toArray(Long[]::new));
                System.out.printf(
                        "PostgresRestartIT: PostgreSQL down %.1f s, server healthy again %.1f s after its start;"
                                + " %d events in %d batches stored, %d posts failed and were repeated; runs %s%n",
                        outage, recovered, events.distinctSent(), events.batches(), events.failedPosts(), finished);

                assertThat(finished)
                        .as(server.tail())
                        .extracting(r -> r.get("state"))
                        .containsOnly("SUCCEEDED");
                Faults.assertWholeHistory(jdbc, runs.get(0), 16, 32, dataset);
                assertThat(events.failedPosts())
                        .as("posts that met the outage (else it tested nothing)")
                        .isPositive();
                assertThat(events.rejections()).isEmpty();
                assertThat(trainingAtCrash).isEqualTo("RUNNING");
                assertThat(storedBeforeCrash).isPositive();
                long distinct = events.distinctSent();
                assertThat(jdbc.queryForObject("SELECT count(*) FROM ab_event WHERE event_id LIKE 'pg-%'", Long.class))
                        .as("events stored = distinct ids sent: none lost, none doubled")
                        .isEqualTo(distinct);
                assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM ab_event_key WHERE event_id LIKE 'pg-%'", Long.class))
                        .isEqualTo(distinct);
                assertThat(events.accepted()).isLessThanOrEqualTo(distinct);
            }
        }
    }

    private static String run(long group, long dataset, int epochs, int batchSize) {
        return """
                {"taskGroupId": %d, "datasetId": %d, "model": %s,
                 "training": {"epochs": %d, "batchSize": %d, "learningRate": 0.005, "patience": 0}}""".formatted(group, dataset, Faults.SMALL_MMOE, epochs, batchSize);
    }

    private static int checkpointEpoch(JdbcTemplate jdbc, long run) {
        return jdbc.queryForObject("SELECT checkpoint_epoch FROM run WHERE id = ?", Integer.class, run);
    }
}
