package io.fulcrum.bench;

import io.fulcrum.rollout.AbResults;
import io.fulcrum.rollout.EventLog;
import io.fulcrum.rollout.ResultsView;
import io.fulcrum.security.LocalCredentials;
import io.fulcrum.system.ApiClient;
import io.fulcrum.system.Percentiles;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code bench events} measures, on a throw-away server over a fresh embedded PostgreSQL:
 * ingestion through {@code POST /api/events} over real HTTP from several client threads, a share of
 * the batches posted a second time (retries), then the count check (every distinct id stored exactly
 * once) and the time of {@link AbResults#compute} over everything ingested. Every event is
 * attributed through a rank request of one experiment with two variants, as served traffic would be.
 */
public final class EventBenchmark {

    /**
     * @param events distinct events sent
     * @param batch events per post
     * @param threads client threads posting at once
     * @param duplicates share of batches posted a second time (0.1 = 10 % more posts)
     * @param users distinct users (each with one rank request)
     * @param attributed share of the users served by the experiment; the others' requests belong to no
     *     experiment (held out), so their events are stored unattributed
     */
    public record Settings(int events, int batch, int threads, double duplicates, int users, double attributed) {}

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    private final PrintStream err;

    public EventBenchmark(PrintStream err) {
        this.err = err;
    }

    /** Runs the benchmark and returns its figures by name; {@code countCheck} is PASS or FAIL. */
    public Map<String, Object> run(Settings s) {
        try (ThrowAwayServer server = ThrowAwayServer.start(
                "bench-events",
                err,
                "--fulcrum.worker.embedded=false",
                "--fulcrum.events.max-batch=" + Math.max(10_000, s.batch()),
                "--logging.level.root=ERROR")) {
            ConfigurableApplicationContext app = server.app();
            String url = server.baseUrl() + "/api/events";
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            long experiment = experiment(jdbc);
            String[] users = new String[s.users()];
            String[] requests = new String[s.users()];
            rankRequests(jdbc, experiment, users, requests, s.attributed());

            err.printf("generating %,d events in batches of %,d%n", s.events(), s.batch());
            List<byte[]> batches = batches(s, users, requests);
            List<Integer> posts = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                posts.add(i);
            }
            Random random = new Random(42);
            int repeats = (int) Math.round(batches.size() * s.duplicates());
            for (int i = 0; i < repeats; i++) {
                posts.add(random.nextInt(batches.size()));
            }
            Collections.shuffle(posts, random);

            err.printf(
                    "posting %,d batches (%,d of them repeats) from %d threads%n", posts.size(), repeats, s.threads());
            Map<String, Object> result = new LinkedHashMap<>();
            result.putAll(post(url, LocalCredentials.servingToken(app, "bench-events"), batches, posts, s));
            long stored = jdbc.queryForObject("SELECT count(*) FROM ab_event", Long.class);
            long keys = jdbc.queryForObject("SELECT count(*) FROM ab_event_key", Long.class);
            long distinct = s.events();
            boolean pass = stored == distinct && keys == distinct && (long) result.get("accepted") == distinct;
            result.put("distinctIdsSent", distinct);
            result.put("abEventRows", stored);
            result.put("abEventKeyRows", keys);
            result.put("countCheck", pass ? "PASS" : "FAIL");
            result.put(
                    "partitions", app.getBean(EventLog.class).partitionTables().size());
            result.putAll(results(app, experiment));
            Runtime rt = Runtime.getRuntime();
            result.put("heapUsedMb", (rt.totalMemory() - rt.freeMemory()) >> 20);
            return result;
        }
    }

    private static long experiment(JdbcTemplate jdbc) {
        String scoring = "{\"exponents\": {}, \"lengthTransform\": {\"type\": \"none\"}}";
        long surface = jdbc.queryForObject(
                "INSERT INTO surface (name, model_name, scoring, created_at, updated_at)"
                        + " VALUES ('bench', 'video', ?::jsonb, now(), now()) RETURNING id",
                Long.class,
                scoring);
        long experiment = jdbc.queryForObject(
                "INSERT INTO ab_experiment (name, surface_id, state, salt, target_metric, guardrails, created_by,"
                        + " created_at, updated_at, started_at) VALUES ('bench', ?, 'RUNNING', 'bench',"
                        + " 'watch_time_per_user', '[{\"metric\": \"watch_time_per_user\", \"maxRelativeDrop\": 0.02},"
                        + " {\"metric\": \"p99_latency_ms\", \"maxMillis\": 20}]', 'bench', now(), now(), now())"
                        + " RETURNING id",
                Long.class,
                surface);
        for (int i = 0; i < 2; i++) {
            jdbc.update(
                    "INSERT INTO ab_variant (experiment_id, name, position, control, model_version, scoring,"
                            + " allocation_bps) VALUES (?, ?, ?, ?, ?, ?::jsonb, 5000)",
                    experiment,
                    i == 0 ? "control" : "ple",
                    i,
                    i == 0,
                    i + 1,
                    scoring);
        }
        return experiment;
    }

    /** One rank request per user, users in the experiment alternating between the two variants. */
    private static void rankRequests(
            JdbcTemplate jdbc, long experiment, String[] users, String[] requests, double attributed) {
        AtomicInteger i = new AtomicInteger();
        jdbc.query(
                "INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,"
                        + " model_version, candidates, returned, oov_values, latency_micros, created_at)"
                        + " SELECT gen_random_uuid(), e.surface_id, CASE WHEN in_experiment THEN e.id END,"
                        + " CASE WHEN NOT in_experiment THEN NULL WHEN g % 2 = 0 THEN 'control' ELSE 'ple' END,"
                        + " 'u' || g, 'video', 1 + g % 2, 100, 20, 0, 2000 + (g * 7919) % 15000, now()"
                        + " FROM ab_experiment e, generate_series(0, ? - 1) g,"
                        + " LATERAL (SELECT (g * 7919) % 1000 < ? AS in_experiment) a WHERE e.id = ?"
                        + " RETURNING user_id, request_id",
                rs -> {
                    int k = i.getAndIncrement();
                    users[k] = rs.getString(1);
                    requests[k] = rs.getString(2);
                },
                users.length,
                Math.round(attributed * 1000),
                experiment);
    }

    /** The batches' JSON bodies, made before the clock starts so that the client's work is not timed. */
    private static List<byte[]> batches(Settings s, String[] users, String[] requests) {
        Random random = new Random(7);
        long now = Instant.now().getEpochSecond();
        List<byte[]> batches = new ArrayList<>();
        StringBuilder json = new StringBuilder(s.batch() * 200);
        for (int from = 0; from < s.events(); from += s.batch()) {
            json.setLength(0);
            json.append("{\"events\":[");
            int to = Math.min(s.events(), from + s.batch());
            for (int i = from; i < to; i++) {
                int u = random.nextInt(users.length);
                double r = random.nextDouble();
                String type;
                String value = null;
                if (r < 0.50) {
                    type = "exposure";
                } else if (r < 0.65) {
                    type = "click";
                } else if (r < 0.78) {
                    type = "play";
                } else if (r < 0.90) {
                    type = "watch_time";
                    value = String.valueOf(Math.round(random.nextDouble() * 1200) / 10.0);
                } else if (r < 0.95) {
                    type = "completion";
                    value = String.valueOf(Math.round(random.nextDouble() * 100) / 100.0);
                } else if (r < 0.98) {
                    type = "share";
                } else {
                    type = "comment";
                }
                if (i > from) {
                    json.append(',');
                }
                json.append("{\"id\":\"e")
                        .append(i)
                        .append("\",\"type\":\"")
                        .append(type)
                        .append("\",\"userId\":\"")
                        .append(users[u])
                        .append("\",\"itemId\":\"v")
                        .append(random.nextInt(50_000))
                        .append("\",\"requestId\":\"")
                        .append(requests[u])
                        .append('"');
                if (value != null) {
                    json.append(",\"value\":").append(value);
                }
                // Spread over the last two days: events land in two or three day partitions.
                json.append(",\"occurredAt\":\"")
                        .append(Instant.ofEpochSecond(now - random.nextInt(2 * 86_400)))
                        .append("\"}");
            }
            json.append("]}");
            batches.add(json.toString().getBytes(StandardCharsets.UTF_8));
        }
        return batches;
    }

    private Map<String, Object> post(
            String url, String servingToken, List<byte[]> batches, List<Integer> posts, Settings s) {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        double[] millis = new double[posts.size()];
        long[] accepted = new long[posts.size()];
        ExecutorService pool = Executors.newFixedThreadPool(s.threads());
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < s.threads(); t++) {
                futures.add(pool.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < posts.size()) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .header("Authorization", ApiClient.bearer(servingToken))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(batches.get(posts.get(k))))
                                .build();
                        long p0 = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        millis[k] = (System.nanoTime() - p0) / 1e6;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(
                                    "POST /api/events answered " + response.statusCode() + ": " + response.body());
                        }
                        Matcher m = ACCEPTED.matcher(response.body());
                        if (!m.find()) {
                            throw new IllegalStateException("unexpected answer: " + response.body());
                        }
                        accepted[k] = Long.parseLong(m.group(1));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("posting failed", e);
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long posted = 0;
        for (int k : posts) {
            posted += Math.min(s.batch(), s.events() - (long) k * s.batch());
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("posts", posts.size());
        r.put("eventsPosted", posted);
        r.put("accepted", Arrays.stream(accepted).sum());
        r.put("seconds", Percentiles.round(seconds));
        r.put("eventsPostedPerSecond", Math.round(posted / seconds));
        r.put("newEventsStoredPerSecond", Math.round(s.events() / seconds));
        r.put("batchMs", Percentiles.summary(millis));
        return r;
    }

    /** Times {@link AbResults#compute} over everything ingested, and says which plan PostgreSQL chose. */
    private Map<String, Object> results(ConfigurableApplicationContext app, long experiment) {
        AbResults results = app.getBean(AbResults.class);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("ANALYZE ab_event");
        jdbc.execute("ANALYZE rank_request");
        List<String> plan = results.explain(experiment);
        String scans = plan.stream()
                .filter(l -> l.contains(" Scan "))
                .map(String::trim)
                .map(l -> l.replaceFirst("^->\\s*", "").replaceFirst("\\s+\\(cost.*", ""))
                .distinct()
                .limit(4)
                .reduce((a, b) -> a + "; " + b)
                .orElse("?");
        err.println("results query plan (EXPLAIN ANALYZE):");
        plan.forEach(l -> err.println("  " + l));
        results.compute(experiment);
        double[] ms = new double[5];
        ResultsView view = null;
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            view = results.compute(experiment);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(
                "resultsUsers",
                view.variants().stream().mapToLong(ResultsView.Variant::users).sum());
        r.put("resultsMs", Percentiles.summary(ms));
        r.put("resultsPlanScans", scans);
        return r;
    }
}
