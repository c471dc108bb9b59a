package io.fulcrum.bench;

import io.fulcrum.experiment.MetricPoint;
import io.fulcrum.experiment.MetricStore;
import io.fulcrum.experiment.RunQueue;
import io.fulcrum.security.LocalCredentials;
import io.fulcrum.system.ApiClient;
import io.fulcrum.system.Json;
import io.fulcrum.system.Percentiles;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What {@code bench queue} measures: the run queue's and the metric store's overheads on a fresh embedded
 * PostgreSQL, through the real server (HTTP on a free port) and its embedded worker. Measures the
 * time from {@code POST /api/runs} to RUNNING with an idle worker, claims per second with 4 threads
 * over 1,000 queued runs, metric points written per second in the worker's batches, and the latency
 * of {@code GET /api/runs/{id}/metrics} over a 100k-point series.
 */
public final class QueueBenchmark {

    /** What to measure: queued runs, claiming threads, points written, series length, latency samples. */
    public record Settings(int runs, int claimers, int points, int series, int samples, String poll) {}

    private final PrintStream err;
    private String base;
    private ApiClient api;

    public QueueBenchmark(PrintStream err) {
        this.err = err;
    }

    /** Runs every measurement on a throw-away server and returns the figures by name. */
    public Map<String, Object> run(Settings settings) {
        int runs = settings.runs();
        int claimers = settings.claimers();
        int points = settings.points();
        int series = settings.series();
        int samples = settings.samples();
        String poll = settings.poll();
        try (ThrowAwayServer server = ThrowAwayServer.start(
                "bench-queue",
                err,
                "--fulcrum.worker.poll=" + poll,
                "--fulcrum.worker.heartbeat=500ms",
                "--fulcrum.worker.lease=5s")) {
            ConfigurableApplicationContext app = server.app();
            base = server.baseUrl();
            api = new ApiClient(base, LocalCredentials.adminToken(app, "bench-queue"));
            Map<String, Object> result = new LinkedHashMap<>();
            long dataset = id(api.post("/api/datasets", """
                    {"name": "bench", "kind": "SYNTHETIC", "spec": {"correlation": 0.5, "samples": 2000, "dimension": 8, "seed": 1}}"""));
            long group = id(api.post("/api/task-groups", """
                    {"name": "bench", "tasks": [{"name": "y1", "kind": "REGRESSION", "labelColumn": "y1"},
                                                {"name": "y2", "kind": "REGRESSION", "labelColumn": "y2"}]}"""));
            String body = """
                    {"taskGroupId": %d, "datasetId": %d,
                     "model": {"architecture": "mmoe", "experts": {"shared": 2, "units": [8]}, "towerUnits": [8]},
                     "training": {"epochs": 1000, "batchSize": 64, "patience": 0}%s}""";
            result.put("postToRunningMs", postToRunning(body.formatted(group, dataset, ""), samples));
            result.putAll(claims(
                    app,
                    body.formatted(group, dataset, ", \"resources\": {\"workerLabels\": [\"bench\"]}"),
                    runs,
                    claimers));
            long metricsRun = id(api.post(
                    "/api/runs", body.formatted(group, dataset, ", \"resources\": {\"workerLabels\": [\"nobody\"]}")));
            result.putAll(ingest(app.getBean(MetricStore.class), metricsRun, points));
            long seriesRun = id(api.post(
                    "/api/runs", body.formatted(group, dataset, ", \"resources\": {\"workerLabels\": [\"nobody\"]}")));
            result.putAll(query(app.getBean(MetricStore.class), seriesRun, series));
            Runtime rt = Runtime.getRuntime();
            result.put("heapUsedMb", (rt.totalMemory() - rt.freeMemory()) >> 20);
            return result;
        }
    }

    /** POST a run that trains for long, wait until the idle embedded worker has it RUNNING, cancel it. */
    private Map<String, Object> postToRunning(String body, int samples) {
        err.printf("POST /api/runs to RUNNING, %d samples%n", samples);
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            long id = id(api.post("/api/runs", body));
            while (!state(id).equals("RUNNING")) {
                sleep(2);
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
            api.post("/api/runs/" + id + "/cancel", "");
            while (!state(id).equals("CANCELLED")) {
                sleep(20);
            }
        }
        return Percentiles.summary(ms);
    }

    /** At most this many runs are queued through the API; the rest are copies of one, made in SQL. */
    private static final int THROUGH_API = 200;

    private Map<String, Object> claims(ConfigurableApplicationContext app, String body, int runs, int claimers) {
        int viaApi = Math.min(runs, THROUGH_API);
        err.printf("queueing %,d runs through the API%n", viaApi);
        long t0 = System.nanoTime();
        for (int i = 0; i < viaApi; i++) {
            api.post("/api/runs", body);
        }
        double queueSeconds = (System.nanoTime() - t0) / 1e9;
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        if (runs > viaApi) {
            // the claim is what is measured: the rest of the queue is the last queued run, copied
            err.printf("copying it to %,d queued runs in SQL%n", runs);
            String columns = String.join(
                    ", ",
                    jdbc.queryForList(
                            "SELECT column_name FROM information_schema.columns WHERE table_name = 'run'"
                                    + " AND column_name <> 'id' AND is_generated = 'NEVER' ORDER BY ordinal_position",
                            String.class));
            jdbc.update(
                    "INSERT INTO run (" + columns + ") SELECT " + columns
                            + " FROM run, generate_series(1, ?) WHERE run.id = (SELECT max(id) FROM run WHERE state = 'QUEUED')",
                    runs - viaApi);
        }
        long worker = jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, concurrency, state,"
                        + " started_at, heartbeat_at) VALUES ('bench', 'bench', 'bench', 1, 1, 0, 4, 'STOPPED', now(), now())"
                        + " RETURNING id",
                Long.class);
        RunQueue queue = app.getBean(RunQueue.class);
        RunQueue.WorkerSlot slot = new RunQueue.WorkerSlot(worker, 0, List.of("bench"));
        err.printf("claiming them with %d threads%n", claimers);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        java.util.Set<Long> claimedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger doubleClaims = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ConcurrentLinkedQueue<Double> latencies =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        long c0 = System.nanoTime();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < claimers; t++) {
                futures.add(pool.submit(() -> {
                    int n = 0;
                    while (true) {
                        long start = System.nanoTime();
                        Optional<RunQueue.Lease> lease = queue.claim(slot, Duration.ofHours(1));
                        if (lease.isEmpty()) {
                            return n;
                        }
                        latencies.add((System.nanoTime() - start) / 1e6);
                        if (!claimedIds.add(lease.get().runId())) {
                            doubleClaims.incrementAndGet();
                        }
                        n++;
                    }
                }));
            }
            int claimed = 0;
            for (Future<Integer> f : futures) {
                claimed += f.get();
            }
            double seconds = (System.nanoTime() - c0) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("queuedRuns", runs);
            r.put("queuedPerSecond", Percentiles.round(viaApi / queueSeconds));
            r.put("claimed", claimed);
            r.put("claimers", claimers);
            r.put("claimsPerSecond", Percentiles.round(claimed / seconds));
            r.put(
                    "claimLatencyMs",
                    Percentiles.summary(
                            latencies.stream().mapToDouble(Double::doubleValue).toArray()));
            r.put("doubleClaims", doubleClaims.get());
            r.put("unclaimed", runs - claimedIds.size());
            return r;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    private Map<String, Object> ingest(MetricStore store, long run, int points) {
        err.printf("writing %,d metric points in batches of 1,000%n", points);
        long t0 = System.nanoTime();
        for (int from = 0; from < points; from += 1000) {
            store.write(batch(run, from, Math.min(1000, points - from)));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("metricPoints", points);
        r.put("metricPointsPerSecond", Percentiles.round(points / seconds));
        return r;
    }

    private Map<String, Object> query(MetricStore store, long run, int series) {
        for (int from = 0; from < series; from += 1000) {
            store.write(batch(run, from, Math.min(1000, series - from)));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seriesPoints", series);
        for (int maxPoints : new int[] {1000, 10_000}) {
            String uri = "/api/runs/" + run + "/metrics?name=loss&task=y1&maxPoints=" + maxPoints;
            for (int i = 0; i < 5; i++) {
                api.get(uri);
            }
            double[] ms = new double[50];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                api.get(uri);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            r.put("getMetricsMs_maxPoints" + maxPoints, Percentiles.summary(ms));
        }
        return r;
    }

    /** One series: the loss of task y1 at consecutive steps, as a worker's flush would send it. */
    private static List<MetricPoint> batch(long run, int from, int count) {
        List<MetricPoint> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long step = from + i + 1L;
            points.add(new MetricPoint(run, "train", "loss", "y1", step, (int) (step / 1000) + 1, 1.0 / step));
        }
        return points;
    }

    private String state(long id) {
        return Json.MAPPER.readTree(api.get("/api/runs/" + id)).get("state").asString();
    }

    private static long id(String json) {
        JsonNode node = Json.MAPPER.readTree(json);
        if (!node.has("id")) {
            throw new IllegalStateException("unexpected answer: " + json);
        }
        return node.get("id").asLong();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
