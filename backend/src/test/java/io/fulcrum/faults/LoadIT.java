package io.fulcrum.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.rollout.ServingFixtures;
import io.fulcrum.system.ApiClient;
import io.fulcrum.system.Json;
import io.fulcrum.system.Percentiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A sustained minute of serving traffic against one server (the packaged jar, its heap capped at
 * 512 MB): ranking requests and event batches at fixed rates from client thread pools, at once.
 * Every answer must be a 200, the heap after a full GC must stay bounded, and the events stored must
 * be exactly those sent. The rates and latencies are printed for docs/benchmarks.md; they are not
 * asserted, because they measure the machine as much as Fulcrum.
 */
class LoadIT {

    static final Path DIR = Path.of("target", "it-faults", "load");
    static final int SECONDS = 60;
    static final int WARMUP_SECONDS = 5;
    static final int RANK_RATE = 100;
    static final int CANDIDATES = 100;
    static final int RETURNED = 20;
    static final int EVENT_BATCH = 500;
    static final int EVENT_BATCH_RATE = 20;
    static final long HEAP_MAX_MB = 512;
    static final String MODEL = "load-ranker";
    static final String SURFACE = "load-feed";
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicReferenceArray<String> recentRequests = new AtomicReferenceArray<>(256);
    private final AtomicInteger requestsSeen = new AtomicInteger();

    @Test
    void aSustainedMinuteOfRankingAndEventsLosesNothing() throws Exception {
        try (ExternalPostgres db = ExternalPostgres.start(DIR.resolve("pg"))) {
            db.migrate();
            JdbcTemplate jdbc = db.jdbc();
            Credentials credentials = Credentials.create(jdbc);
            List<String> jvm = List.of("-Xmx" + HEAP_MAX_MB + "m");
            try (FulcrumJar server = FulcrumJar.server(
                    "server",
                    db,
                    DIR,
                    jvm,
                    List.of("--management.endpoints.web.exposure.include=health,info,prometheus,metrics"))) {
                server.awaitHealthy(Duration.ofMinutes(3));
                ApiClient api = new ApiClient(server.base(), credentials.admin);
                long setup = System.nanoTime();
                serve(api, server);
                double setupSeconds = Faults.seconds(setup);
                List<byte[]> bodies = rankBodies();
                EventPoster events =
                        new EventPoster(server.base(), credentials.serving, "load-", Duration.ofSeconds(30));

                Traffic warmup = drive(server.base(), credentials.serving, bodies, events, WARMUP_SECONDS);
                Map<String, Object> heapBefore = heapAfterGc(server, api);
                double cpuBefore = cpuSeconds(server.pid());
                long loadStart = System.nanoTime();
                Traffic load = drive(server.base(), credentials.serving, bodies, events, SECONDS);
                double serverCores = (cpuSeconds(server.pid()) - cpuBefore) / Faults.seconds(loadStart);
                Map<String, Object> heapAfter = heapAfterGc(server, api);

                // the events this test posted, apart from the exposures each ranking answer logs itself
                long stored =
                        jdbc.queryForObject("SELECT count(*) FROM ab_event WHERE event_id LIKE 'load-%'", Long.class);
                long keys = jdbc.queryForObject(
                        "SELECT count(*) FROM ab_event_key WHERE event_id LIKE 'load-%'", Long.class);
                long attributed = jdbc.queryForObject(
                        "SELECT count(*) FROM ab_event WHERE event_id LIKE 'load-%' AND request_id IS NOT NULL",
                        Long.class);
                long rankRequests = warmup.rankMillis.length + load.rankMillis.length;
                long rankLogged = jdbc.queryForObject("SELECT count(*) FROM rank_request", Long.class);
                long exposures = jdbc.queryForObject(
                        "SELECT count(*) FROM ab_event WHERE event_id NOT LIKE 'load-%' AND type = 'exposure'",
                        Long.class);
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("setupSeconds", setupSeconds);
                report.put("warmup", warmup.summary());
                report.put("load", load.summary());
                report.put("eventsSent", events.distinctSent());
                report.put("eventsStored", stored);
                report.put("eventKeys", keys);
                report.put("eventsAttributedToRankRequests", attributed);
                report.put("rankRequestsLogged", rankLogged);
                report.put("exposuresLogged", exposures);
                report.put("heapAfterGcBeforeLoad", heapBefore);
                report.put("heapAfterGcAfterLoad", heapAfter);
                report.put("serverRss", rss(server.pid()));
                report.put("serverCpuCoresDuringLoad", Percentiles.round(serverCores));
                report.put(
                        "loadAverage",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage());
                String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
                Files.writeString(DIR.resolve("load-report.json"), json);
                System.out.println("LoadIT: " + json);

                assertThat(server.alive()).isTrue();
                assertThat(warmup.rankErrors + load.rankErrors)
                        .as("ranking answers other than 200: %s", load.firstError)
                        .isZero();
                assertThat(events.failedPosts())
                        .as("event posts answered other than 200")
                        .isZero();
                assertThat(events.rejections()).isEmpty();
                assertThat(stored)
                        .as("events stored = events sent, none lost, none doubled")
                        .isEqualTo(events.distinctSent());
                assertThat(keys).isEqualTo(events.distinctSent());
                assertThat(events.accepted()).isEqualTo(events.distinctSent());
                assertThat(attributed).as("events carried rank request ids").isPositive();
                assertThat(rankLogged).as("every ranking answered is logged").isEqualTo(rankRequests);
                assertThat(exposures)
                        .as("the %d items each ranking returned are logged as exposures", RETURNED)
                        .isEqualTo(rankRequests * RETURNED);
                assertThat((Long) heapAfter.get("usedMb"))
                        .as("heap in use after a full GC, after the load (before: %s)", heapBefore)
                        .isLessThan(HEAP_MAX_MB / 2);
            }
        }
    }

    /** A dataset, a tiny PLE trained by the embedded worker, registered as champion, and a surface on it. */
    private static void serve(ApiClient api, FulcrumJar server) {
        long dataset = Faults.create(api, "/api/datasets", """
                {"name": "load-video", "kind": "VIDEO_SIMULATOR",
                 "spec": {"impressions": 3000, "worldSeed": 5, "streamSeed": 6,
                          "world": {"population": {"users": 120, "videos": 80, "categories": 6, "latentDimension": 2}}}}""");
        long group = Faults.create(api, "/api/task-groups", """
                {"name": "load-tasks", "tasks": [
                  {"name": "vtr", "kind": "BINARY", "labelColumn": "valid_view"},
                  {"name": "vcr", "kind": "REGRESSION", "labelColumn": "completion_ratio"}]}""");
        long run = Faults.create(api, "/api/runs", """
                {"taskGroupId": %d, "datasetId": %d,
                 "model": {"architecture": "ple", "levels": 1, "experts": {"shared": 1, "perTask": 1, "units": [8]},
                           "towerUnits": [8]},
                 "training": {"epochs": 2, "batchSize": 256, "learningRate": 0.01, "maxEmbeddingDim": 4}}""".formatted(group, dataset));
        Faults.await(Duration.ofMinutes(2), () -> Faults.finished(Faults.state(api, run)), server::tail);
        assertThat(Faults.state(api, run)).isEqualTo("SUCCEEDED");
        api.post("/api/models/" + MODEL + "/versions", "{\"runId\": " + run + "}");
        api.put("/api/models/" + MODEL + "/aliases/champion", "{\"version\": 1}");
        api.post("/api/surfaces", """
                {"name": "%s", "modelName": "%s",
                 "scoring": {"exponents": {"vtr": 1.0, "vcr": 0.5}, "lengthTransform": {"type": "log", "scale": 60}}}""".formatted(SURFACE, MODEL));
    }

    /** 64 requests of distinct users, each ranking {@link #CANDIDATES} videos of the simulated world. */
    private static List<byte[]> rankBodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            int user = (b * 7) % 120;
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (int i = 0; i < CANDIDATES; i++) {
                int video = (b * 13 + i) % 80;
                Map<String, Object> candidate = new LinkedHashMap<>();
                candidate.put("itemId", "item-" + i);
                candidate.put("features", ServingFixtures.item(video));
                candidate.put("videoLength", 20.0 + 7 * video);
                candidates.add(candidate);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("surface", SURFACE);
            body.put("userId", "user-" + user);
            body.put(
                    "context",
                    Map.of(
                            "user_id",
                            user,
                            "scenario",
                            b % 2,
                            "device",
                            b % 3,
                            "hour",
                            b % 24,
                            "user_activity",
                            0.8,
                            "user_profile_0",
                            0.3,
                            "user_profile_1",
                            -0.2));
            body.put("candidates", candidates);
            body.put("limit", RETURNED);
            bodies.add(Json.MAPPER.writeValueAsBytes(body));
        }
        return bodies;
    }

    /** What one window of traffic did. */
    private record Traffic(
            int seconds,
            double[] rankMillis,
            double[] eventMillis,
            int rankErrors,
            String firstError,
            double rankWallSeconds,
            double eventWallSeconds) {

        Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seconds", seconds);
            s.put("rankRequests", rankMillis.length);
            s.put("rankPerSecond", Percentiles.round(rankMillis.length / rankWallSeconds));
            s.put("rankLatencyMs", Percentiles.summary(rankMillis));
            s.put("rankErrors", rankErrors);
            s.put("eventBatches", eventMillis.length);
            s.put("eventsPerSecond", Math.round(eventMillis.length * (double) EVENT_BATCH / eventWallSeconds));
            s.put("eventBatchLatencyMs", Percentiles.summary(eventMillis));
            return s;
        }
    }

    /**
     * Sends ranking requests and event batches at their fixed rates for {@code seconds}, open loop:
     * each one is due at its time whether or not the earlier ones have been answered, and its latency
     * counts from when it was due, so a server that falls behind shows its queue.
     */
    private Traffic drive(String base, String servingToken, List<byte[]> bodies, EventPoster events, int seconds)
            throws Exception {
        URI rank = URI.create(base + "/api/rank");
        int rankCount = RANK_RATE * seconds;
        int batchCount = EVENT_BATCH_RATE * seconds;
        double[] rankMillis = new double[rankCount];
        double[] eventMillis = new double[batchCount];
        AtomicInteger rankErrors = new AtomicInteger();
        String[] firstError = new String[1];
        ExecutorService rankPool = Executors.newFixedThreadPool(16);
        ExecutorService eventPool = Executors.newFixedThreadPool(4);
        ExecutorService pacers = Executors.newFixedThreadPool(2);
        try {
            long t0 = System.nanoTime() + 20_000_000;
            Future<double[]> rankPacer = pacers.submit(() -> pace(rankPool, rankCount, RANK_RATE, t0, i -> due -> {
                HttpRequest request = HttpRequest.newBuilder(rank)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Authorization", ApiClient.bearer(servingToken))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size())))
                        .build();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        remember(response.body());
                    } else {
                        error(rankErrors, firstError, response.statusCode() + " " + response.body());
                    }
                } catch (IOException e) {
                    error(rankErrors, firstError, e.toString());
                }
                rankMillis[i] = (System.nanoTime() - due) / 1e6;
            }));
            Future<double[]> eventPacer =
                    pacers.submit(() -> pace(eventPool, batchCount, EVENT_BATCH_RATE, t0, i -> due -> {
                        events.post(EVENT_BATCH, recentRequestIds());
                        eventMillis[i] = (System.nanoTime() - due) / 1e6;
                    }));
            double rankWall = rankPacer.get(seconds + 180L, TimeUnit.SECONDS)[0];
            double eventWall = eventPacer.get(seconds + 180L, TimeUnit.SECONDS)[0];
            return new Traffic(seconds, rankMillis, eventMillis, rankErrors.get(), firstError[0], rankWall, eventWall);
        } finally {
            pacers.shutdownNow();
            rankPool.shutdownNow();
            eventPool.shutdownNow();
        }
    }

    /** Submits {@code count} tasks at {@code rate} per second from {@code t0}; waits for all; returns the wall seconds. */
    private static double[] pace(ExecutorService pool, int count, int rate, long t0, IntFunction<Due> task)
            throws Exception {
        long period = 1_000_000_000L / rate;
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long due = t0 + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Due work = task.apply(i);
            futures.add(pool.submit(() -> {
                work.run(due);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        return new double[] {(System.nanoTime() - t0) / 1e9};
    }

    @FunctionalInterface
    private interface Due {
        void run(long dueNanos) throws Exception;
    }

    private static synchronized void error(AtomicInteger errors, String[] first, String what) {
        if (errors.getAndIncrement() == 0) {
            first[0] = what;
        }
    }

    private void remember(String rankAnswer) {
        Matcher m = REQUEST_ID.matcher(rankAnswer);
        if (m.find()) {
            recentRequests.set(Math.floorMod(requestsSeen.getAndIncrement(), recentRequests.length()), m.group(1));
        }
    }

    private List<String> recentRequestIds() {
        List<String> ids = new ArrayList<>();
        int n = Math.min(requestsSeen.get(), recentRequests.length());
        for (int i = 0; i < n; i++) {
            String id = recentRequests.get(i);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Runs a full GC in the server ({@code jcmd GC.run}) and reads its heap in use from the actuator. */
    private static Map<String, Object> heapAfterGc(FulcrumJar server, ApiClient api) throws Exception {
        Process gc = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(server.pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        String output = new String(gc.getInputStream().readAllBytes());
        assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gc.exitValue()).as(output).isZero();
        String used = api.get("/actuator/metrics/jvm.memory.used?tag=area:heap");
        String committed = api.get("/actuator/metrics/jvm.memory.committed?tag=area:heap");
        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("usedMb", mb(used));
        heap.put("committedMb", mb(committed));
        return heap;
    }

    private static long mb(String metric) {
        return Math.round(JsonPath.<Double>read(metric, "$.measurements[0].value") / (1 << 20));
    }

    /** CPU time the process has used, user and system, from /proc (in clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** The server's resident set now and at its peak, from /proc. */
    private static Map<String, Object> rss(long pid) throws IOException {
        Map<String, Object> rss = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                rss.put(line.substring(0, 5) + "Mb", Long.parseLong(line.replaceAll("\\D", "")) / 1024);
            }
        }
        return rss;
    }
}
