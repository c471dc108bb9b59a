package io.fulcrum.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.system.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the fault tests share: waiting for a condition, and the API calls that set a scene up. */
public final class Faults {

    /**
     * JVM options of processes whose speed is not what a test measures: the client compiler only and
     * the serial collector start a server on two shared cores a third faster than the defaults.
     */
    static final List<String> QUICK_START_JVM = List.of(
            "-Xmx768m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            // one PyTorch thread per training: two JVMs training at once on two cores with two threads each
            // spend their steps waiting at OpenMP barriers for cores the other one holds
            "-Dai.djl.pytorch.num_threads=1");

    /**
     * Leases that move a lost worker's run on in seconds, yet long enough (ten heartbeats) that a JVM
     * starved of CPU by the processes starting beside it on two cores does not lose a lease it holds.
     */
    static final List<String> SHORT_LEASES = List.of(
            "--fulcrum.worker.heartbeat=1s",
            "--fulcrum.worker.lease=10s",
            "--fulcrum.worker.poll=200ms",
            "--fulcrum.runs.expiry-check=1s");

    /** The tiny synthetic dataset of the experiment tests: two regression labels over 8 features. */
    static final String SYNTHETIC_DATASET = """
            {"name": "faults-syn", "kind": "SYNTHETIC",
             "spec": {"correlation": 0.8, "samples": 2400, "dimension": 8, "seed": 11}}""";

    static final String SYNTHETIC_TASKS = """
            {"name": "faults-tasks", "tasks": [
              {"name": "y1", "kind": "REGRESSION", "labelColumn": "y1"},
              {"name": "y2", "kind": "REGRESSION", "labelColumn": "y2"}]}""";

    static final String SMALL_MMOE = """
            {"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]}""";

    private Faults() {}

    static long id(String json) {
        return ((Number) JsonPath.read(json, "$.id")).longValue();
    }

    static long create(ApiClient api, String path, String json) {
        return id(api.post(path, json));
    }

    static String state(ApiClient api, long run) {
        return JsonPath.read(api.get("/api/runs/" + run), "$.state");
    }

    static boolean finished(String state) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state);
    }

    static void await(Duration timeout, BooleanSupplier done, Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within " + timeout + "\n" + context.get());
            }
            sleep(200);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double seconds(long fromNanos) {
        return Math.round((System.nanoTime() - fromNanos) / 1e7) / 100.0;
    }

    /** One training-loss point per step, none missing and none twice, and every epoch's loss. */
    static void assertWholeHistory(JdbcTemplate jdbc, long run, int epochs, int batchSize, long dataset) {
        assertOneLossPointPerStep(jdbc, run, epochs, batchSize, dataset, "run " + run);
        assertThat(jdbc.queryForObject(
                        "SELECT count(DISTINCT epoch) FROM run_metric WHERE run_id = ? AND name = 'epoch_loss'"
                                + " AND task = 'y1'",
                        Long.class,
                        run))
                .isEqualTo(epochs);
    }

    /**
     * Task y1's training loss once per step of {@code epochs} epochs over the dataset's training rows:
     * no gap and no duplicate, however often the run was interrupted and resumed.
     */
    public static void assertOneLossPointPerStep(
            JdbcTemplate jdbc, long run, int epochs, int batchSize, long dataset, String context) {
        long rows = jdbc.queryForObject("SELECT train_rows FROM dataset WHERE id = ?", Long.class, dataset);
        long expected = epochs * ((rows + batchSize - 1) / batchSize);
        Map<String, Object> history = jdbc.queryForMap(
                "SELECT count(*) AS points, count(DISTINCT step) AS steps, min(step) AS first, max(step) AS last"
                        + " FROM run_metric WHERE run_id = ? AND name = 'loss' AND task = 'y1'",
                run);
        assertThat(history)
                .as("%s: one loss point per step, no gap, no duplicate", context)
                .containsEntry("points", expected)
                .containsEntry("steps", expected)
                .containsEntry("first", 1L)
                .containsEntry("last", expected);
    }
}
