package io.fulcrum.bench;

import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.dataset.DatasetRows;
import io.fulcrum.rollout.RankPhases;
import io.fulcrum.rollout.ServingProperties;
import io.fulcrum.security.LocalCredentials;
import io.fulcrum.system.ApiClient;
import io.fulcrum.system.Json;
import io.fulcrum.system.Percentiles;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What {@code bench rank} measures: {@code POST /api/rank} over real HTTP on a throw-away server and
 * embedded PostgreSQL, serving a PLE that the embedded worker trains on simulated video data (VTR +
 * VCR). Requests are sent open-loop at a fixed rate (each one's latency counts from when it was due,
 * so a stalled server cannot hide its queue), with candidates and users taken from the dataset's own
 * rows. Before the load, each phase of one request is timed in-process, to show where the time goes.
 */
public final class RankBenchmark {

    /**
     * @param candidates per request
     * @param rate requests per second, open loop
     * @param seconds measured duration (after {@code warmup} seconds at the same rate)
     * @param threads client threads sending, the most requests in flight
     * @param impressions rows of the simulated dataset the model trains on
     * @param epochs training epochs
     * @param torchThreads {@code fulcrum.serving.torch-threads}; -1 leaves the server's default
     * @param windows measured windows of {@code seconds} each, back to back after one warm-up
     */
    public record Settings(
            int candidates,
            int rate,
            int seconds,
            int warmup,
            int threads,
            int impressions,
            int epochs,
            int torchThreads,
            int windows) {}

    private static final String SURFACE = "bench-feed";
    private static final String MODEL = "bench-ranker";

    private final PrintStream err;
    private String base;
    private ApiClient api;
    private String servingToken;

    public RankBenchmark(PrintStream err) {
        this.err = err;
    }

    public Map<String, Object> run(Settings settings) {
        try (ThrowAwayServer server = ThrowAwayServer.start(
                "bench-rank",
                err,
                "--fulcrum.worker.poll=200ms",
                "--fulcrum.serving.torch-threads=" + (settings.torchThreads() >= 0 ? settings.torchThreads() : 1))) {
            ConfigurableApplicationContext app = server.app();
            base = server.baseUrl();
            api = new ApiClient(base, LocalCredentials.adminToken(app, "bench-rank"));
            servingToken = LocalCredentials.servingToken(app, "bench-rank-serving");
            Map<String, Object> result = new LinkedHashMap<>();
            long dataset = train(settings, result);
            result.put("torchThreads", app.getBean(ServingProperties.class).torchThreads());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            List<byte[]> bodies = bodies(app.getBean(DatasetManagement.class), dataset, settings.candidates());
            result.put("phasesMicros", phases(app, bodies));
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            result.putAll(load(app, bodies, settings));
            // the machine's 1-minute load average before and after the load: other work shares the cores
            result.put(
                    "loadAverage",
                    List.of(
                            Percentiles.round(loadBefore),
                            Percentiles.round(
                                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())));
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            result.put("heapUsedMb", heap.getUsed() >> 20);
            result.put("heapCommittedMb", heap.getCommitted() >> 20);
            result.put("heapMaxMb", heap.getMax() >> 20);
            return result;
        }
    }

    /** Dataset, task group, a PLE run, its registration as champion, and the surface; returns the dataset. */
    private long train(Settings s, Map<String, Object> result) {
        err.printf("simulating %,d impressions%n", s.impressions());
        long dataset = id(api.post("/api/datasets", """
                {"name": "bench-video", "kind": "VIDEO_SIMULATOR", "spec": {"impressions": %d, "worldSeed": 1, "streamSeed": 2}}""".formatted(s.impressions())));
        long group = id(api.post("/api/task-groups", """
                {"name": "VTR+VCR", "tasks": [
                  {"name": "vtr", "kind": "BINARY", "labelColumn": "valid_view"},
                  {"name": "vcr", "kind": "REGRESSION", "labelColumn": "completion_ratio"}]}"""));
        err.printf("training a PLE for %d epochs%n", s.epochs());
        long t0 = System.nanoTime();
        long run = id(api.post("/api/runs", """
                {"taskGroupId": %d, "datasetId": %d,
                 "model": {"architecture": "ple", "levels": 2, "experts": {"shared": 2, "perTask": 2, "units": [64]},
                           "towerUnits": [32]},
                 "training": {"epochs": %d, "batchSize": 1024, "learningRate": 0.005, "patience": 0}}""".formatted(group, dataset, s.epochs())));
        JsonNode done = awaitRun(run);
        result.put("trainSeconds", Percentiles.round((System.nanoTime() - t0) / 1e9));
        result.put("modelParameters", done.at("/result/parameters").asLong());
        api.post("/api/models/" + MODEL + "/versions", "{\"runId\": " + run + "}");
        api.put("/api/models/" + MODEL + "/aliases/champion", "{\"version\": 1}");
        api.post("/api/surfaces", """
                {"name": "%s", "modelName": "%s",
                 "scoring": {"exponents": {"vtr": 1.0, "vcr": 0.5}, "lengthTransform": {"type": "log", "scale": 60}}}""".formatted(SURFACE, MODEL));
        return dataset;
    }

    private JsonNode awaitRun(long run) {
        while (true) {
            JsonNode json = Json.MAPPER.readTree(api.get("/api/runs/" + run));
            String state = json.get("state").asString();
            if (state.equals("SUCCEEDED")) {
                return json;
            }
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                throw new IllegalStateException("the benchmark's training run ended " + state + ": " + json);
            }
            sleep(500);
        }
    }

    /**
     * 64 requests of distinct users, each with {@code candidates} items drawn from the dataset's rows:
     * user and context features from one row, item features (and the length) from others.
     */
    private static List<byte[]> bodies(DatasetManagement datasets, long dataset, int candidates) {
        DatasetRows rows = datasets.rows(dataset, 20_000);
        List<String> columns = rows.columns();
        Random random = new Random(7);
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            List<Object> user = rows.rows().get(random.nextInt(rows.rows().size()));
            Map<String, Object> context = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                if (isContext(columns.get(c))) {
                    context.put(columns.get(c), wire(user.get(c)));
                }
            }
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < candidates; i++) {
                List<Object> row = rows.rows().get(random.nextInt(rows.rows().size()));
                Map<String, Object> features = new LinkedHashMap<>();
                Double length = null;
                for (int c = 0; c < columns.size(); c++) {
                    String name = columns.get(c);
                    if (isItem(name)) {
                        features.put(name, wire(row.get(c)));
                    }
                    if (name.equals("video_length_log")) {
                        length = Math.exp(((Number) row.get(c)).doubleValue());
                    }
                }
                Map<String, Object> candidate = new LinkedHashMap<>();
                candidate.put("itemId", "item-" + i);
                candidate.put("features", features);
                candidate.put("videoLength", length);
                items.add(candidate);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("surface", SURFACE);
            body.put("userId", "user-" + user.get(columns.indexOf("user_id")));
            body.put("context", context);
            body.put("candidates", items);
            body.put("limit", 20);
            bodies.add(Json.MAPPER.writeValueAsBytes(body));
        }
        return bodies;
    }

    private static boolean isItem(String column) {
        return column.startsWith("video_") || column.equals("category");
    }

    private static boolean isContext(String column) {
        return column.startsWith("user_")
                || List.of("scenario", "device", "hour").contains(column);
    }

    /** Categorical values as JSON integers where they are integers, as the client would send ids. */
    private static Object wire(Object value) {
        if (value instanceof String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return value;
    }

    /** Each phase of a request, timed in-process over the prepared bodies, sequentially: p50 and p99 in µs. */
    private Map<String, Object> phases(ConfigurableApplicationContext app, List<byte[]> bodies) {
        err.println("timing the phases of a request in-process");
        Map<String, double[]> micros = RankPhases.time(app, bodies, 300, 1000);
        Map<String, Object> r = new LinkedHashMap<>();
        micros.forEach((name, values) -> {
            Map<String, Object> p = Percentiles.summary(values);
            r.put(name, Map.of("p50", p.get("p50"), "p99", p.get("p99")));
        });
        return r;
    }

    /**
     * The open-loop load: warm-up, then the measured windows back to back; latencies from each request's
     * due time. The top-level figures pool every window; with more than one, {@code windows} has each.
     */
    private Map<String, Object> load(ConfigurableApplicationContext app, List<byte[]> bodies, Settings s) {
        err.printf("warming up: %d s at %d requests/s%n", s.warmup(), s.rate());
        send(bodies, s.rate(), s.warmup(), s.threads());
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        List<Map<String, Object>> windows = new ArrayList<>();
        List<Window> measured = new ArrayList<>();
        Instant first = Instant.now();
        JvmActivity start = JvmActivity.now();
        for (int i = 1; i <= s.windows(); i++) {
            err.printf(
                    "measuring window %d of %d: %d s at %d requests/s, %d client threads%n",
                    i, s.windows(), s.seconds(), s.rate(), s.threads());
            Instant from = Instant.now();
            JvmActivity before = JvmActivity.now();
            Window w = send(bodies, s.rate(), s.seconds(), s.threads());
            Map<String, Object> window = w.figures();
            window.put("serverLatencyMs", serverLatency(jdbc, from, Instant.now()));
            window.put("measuredJvm", JvmActivity.now().since(before));
            windows.add(window);
            measured.add(w);
        }
        Map<String, Object> jvm = JvmActivity.now().since(start);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("candidates", s.candidates());
        r.put("targetRate", s.rate());
        r.putAll(Window.pooled(measured).figures());
        r.put("serverLatencyMs", serverLatency(jdbc, first, Instant.now()));
        r.put("measuredJvm", jvm);
        if (windows.size() > 1) {
            r.put("windows", windows);
        }
        return r;
    }

    private record Window(double[] latencies, int completed, int errors, double seconds) {

        static Window pooled(List<Window> windows) {
            double[] latencies = windows.stream()
                    .flatMapToDouble(w -> Arrays.stream(w.latencies))
                    .toArray();
            return new Window(
                    latencies,
                    windows.stream().mapToInt(Window::completed).sum(),
                    windows.stream().mapToInt(Window::errors).sum(),
                    windows.stream().mapToDouble(Window::seconds).sum());
        }

        Map<String, Object> figures() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("requests", latencies.length);
            r.put("achievedRate", Percentiles.round(completed / seconds));
            r.put("errors", errors);
            r.put("latencyMs", Percentiles.summary(latencies));
            return r;
        }
    }

    private Window send(List<byte[]> bodies, int rate, int seconds, int threads) {
        int total = rate * seconds;
        double[] latencies = new double[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long t0 = System.nanoTime() + 50_000_000L;
        URI uri = URI.create(base);
        List<byte[]> requests = new ArrayList<>(bodies.size());
        for (byte[] body : bodies) {
            requests.add(KeepAliveConnection.post(
                    uri.getHost(),
                    uri.getPort(),
                    RankPhases.PATH,
                    Map.of("Content-Type", "application/json", "Authorization", ApiClient.bearer(servingToken)),
                    body));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    try (KeepAliveConnection connection = new KeepAliveConnection(uri.getHost(), uri.getPort())) {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            long due = t0 + i * interval;
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                            try {
                                if (connection.exchange(requests.get(i % requests.size())) != 200) {
                                    errors.incrementAndGet();
                                }
                            } catch (IOException e) {
                                errors.incrementAndGet();
                            }
                            latencies[i] = (System.nanoTime() - due) / 1e6;
                            completed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new Window(latencies, completed.get(), errors.get(), elapsed);
    }

    /** What the server itself recorded (receipt to just before logging) for the requests logged in [from, to). */
    static Map<String, Object> serverLatency(JdbcTemplate jdbc, Instant from, Instant to) {
        return jdbc.queryForMap(
                "SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_micros) / 1000)::numeric, 2) AS p50,"
                        + " round((percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_micros) / 1000)::numeric, 2)"
                        + " AS p99, round((max(latency_micros) / 1000.0)::numeric, 2) AS max"
                        + " FROM rank_request WHERE created_at >= ? AND created_at < ?",
                Timestamp.from(from),
                Timestamp.from(to));
    }

    private static long id(String json) {
        JsonNode node = Json.MAPPER.readTree(json);
        if (!node.has("id")) {
            throw new IllegalStateException("unexpected answer: " + json);
        }
        return node.get("id").asLong();
    }

    static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
