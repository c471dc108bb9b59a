package io.fulcrum.cli;

import io.fulcrum.simulator.Column;
import io.fulcrum.simulator.ColumnKind;
import io.fulcrum.simulator.Context;
import io.fulcrum.simulator.Impression;
import io.fulcrum.simulator.SimulationRandom;
import io.fulcrum.simulator.VideoWorld;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;

/**
 * Simulated users of a video world using a running Fulcrum the way a client app would: each session
 * asks {@code /api/rank} to order a handful of candidate videos, the user looks down the returned
 * list (leaving after each item with probability 1 − patience) and reacts to each video they look
 * at as the world's ground truth says, and the reactions go to {@code /api/events} with the
 * ranking's request id. Every user's randomness is derived from (seed, user, day, session), so a
 * run does not depend on thread scheduling.
 */
final class AbSimulation {

    /** How big the test is and how users behave. */
    record Settings(
            String surface,
            int users,
            int days,
            int sessionsPerDay,
            int candidates,
            int limit,
            double patience,
            long seed,
            int threads,
            int eventBatch) {}

    /** What the simulation sent. */
    record Totals(long requests, long exposures, long events, Map<String, Long> requestsByVariant, double seconds) {}

    /** Context features describe the user and the moment; the rest describe the candidate video. */
    private static final Set<String> CONTEXT_CATEGORICAL = Set.of("user_id", "scenario", "device", "hour");

    private final FulcrumHttp http;
    private final VideoWorld world;
    private final Settings settings;
    private final PrintStream err;
    private final List<Column> dense;
    private final List<Column> categorical;
    private final LongAdder requests = new LongAdder();
    private final LongAdder exposures = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final Map<String, LongAdder> byVariant = new ConcurrentHashMap<>();

    AbSimulation(FulcrumHttp http, VideoWorld world, Settings settings, PrintStream err) {
        this.http = http;
        this.world = world;
        this.settings = settings;
        this.err = err;
        this.dense = world.columns().ofKind(ColumnKind.DENSE);
        this.categorical = world.columns().ofKind(ColumnKind.CATEGORICAL);
    }

    Totals run() throws Exception {
        int[] users = pickUsers();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        AtomicLong done = new AtomicLong();
        long total = (long) users.length * settings.days() * settings.sessionsPerDay();
        try {
            for (int day = 0; day < settings.days(); day++) {
                List<Future<?>> lanes = new ArrayList<>();
                for (int t = 0; t < settings.threads(); t++) {
                    int lane = t;
                    int today = day;
                    lanes.add(pool.submit(() -> {
                        List<Map<String, Object>> batch = new ArrayList<>();
                        for (int i = lane; i < users.length; i += settings.threads()) {
                            for (int s = 0; s < settings.sessionsPerDay(); s++) {
                                session(users[i], today, s, batch);
                                done.incrementAndGet();
                            }
                        }
                        flush(batch);
                        return null;
                    }));
                }
                for (Future<?> lane : lanes) {
                    lane.get();
                }
                err.printf(
                        "day %d/%d: %d of %d sessions, %d events%n",
                        day + 1, settings.days(), done.get(), total, events.sum());
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> variants = new LinkedHashMap<>();
        byVariant.forEach((k, v) -> variants.put(k, v.sum()));
        return new Totals(requests.sum(), exposures.sum(), events.sum(), variants, (System.nanoTime() - started) / 1e9);
    }

    /** Distinct users of the world, drawn by activity like the impressions of its datasets. */
    private int[] pickUsers() {
        if (settings.users() > world.users()) {
            throw new IllegalArgumentException(
                    "--users must be at most the world's " + world.users() + " users, was " + settings.users());
        }
        SimulationRandom random = new SimulationRandom(settings.seed(), 0xAB);
        Set<Integer> chosen = new LinkedHashSet<>();
        long tries = 0;
        while (chosen.size() < settings.users()) {
            // activity-weighted draws slow down near the whole population; finish uniformly then
            int user = tries++ < 20L * settings.users() ? world.sampleUser(random) : random.nextInt(world.users());
            chosen.add(user);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private void session(int user, int day, int session, List<Map<String, Object>> batch) {
        SimulationRandom random =
                new SimulationRandom(settings.seed() * 1_000_003L + day * 131L + session, 1_000_000L + user);
        Context context = world.sampleContext(random);
        int[] videos = candidates(world, random, settings.candidates());
        float[] d = new float[world.columns().denseCount()];
        int[] c = new int[world.columns().categoricalCount()];
        Map<String, Object> contextFeatures = new LinkedHashMap<>();
        List<Map<String, Object>> candidates = new ArrayList<>(videos.length);
        for (int video : videos) {
            world.writeFeatures(user, context, video, d, c);
            Map<String, Object> features = new LinkedHashMap<>();
            for (Column column : categorical) {
                (CONTEXT_CATEGORICAL.contains(column.name()) ? contextFeatures : features)
                        .put(column.name(), c[column.index()]);
            }
            for (Column column : dense) {
                boolean ofUser = column.name().startsWith("user_");
                (ofUser ? contextFeatures : features).put(column.name(), d[column.index()]);
            }
            Map<String, Object> candidate = new LinkedHashMap<>();
            candidate.put("itemId", Integer.toString(video));
            candidate.put("features", features);
            candidate.put("videoLength", world.lengthSeconds(video));
            candidates.add(candidate);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("surface", settings.surface());
        request.put("userId", userId(user));
        request.put("context", contextFeatures);
        request.put("candidates", candidates);
        request.put("limit", settings.limit());
        JsonNode ranked = http.serve("/api/rank", request);
        requests.increment();
        String variant =
                ranked.path("variant").isNull() || ranked.path("variant").isMissingNode()
                        ? "(champion)"
                        : ranked.path("variant").asString();
        byVariant.computeIfAbsent(variant, k -> new LongAdder()).increment();
        String requestId = ranked.path("requestId").asString();
        Impression impression = new Impression();
        String now = Instant.now().toString();
        exposures.add(ranked.path("items").size());
        for (JsonNode item : ranked.path("items")) {
            int rank = item.path("rank").asInt();
            if (rank > 1 && random.nextDouble() >= settings.patience()) {
                break; // the user leaves the list here
            }
            int video = Integer.parseInt(item.path("itemId").asString());
            world.respond(user, context, video, random, impression);
            String prefix = "sim-" + requestId + "-" + rank + "-";
            if (impression.click()) {
                batch.add(event(prefix, "click", user, video, requestId, null, now));
            }
            if (impression.play()) {
                batch.add(event(prefix, "play", user, video, requestId, null, now));
                batch.add(event(prefix, "watch_time", user, video, requestId, impression.watchSeconds(), now));
                batch.add(event(
                        prefix,
                        "completion",
                        user,
                        video,
                        requestId,
                        Math.min(1.0, impression.completionRatio()),
                        now));
            }
            if (impression.share()) {
                batch.add(event(prefix, "share", user, video, requestId, null, now));
            }
            if (impression.comment()) {
                batch.add(event(prefix, "comment", user, video, requestId, null, now));
            }
        }
        if (batch.size() >= settings.eventBatch()) {
            flush(batch);
        }
    }

    /** Distinct candidate videos, drawn by popularity as a retrieval stage would surface them. */
    static int[] candidates(VideoWorld world, SimulationRandom random, int count) {
        int wanted = Math.min(count, world.videos());
        Set<Integer> chosen = new LinkedHashSet<>();
        int tries = 0;
        while (chosen.size() < wanted) {
            chosen.add(tries++ < 20 * wanted ? world.sampleVideo(random) : random.nextInt(world.videos()));
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, Object> event(
            String prefix, String type, int user, int video, String requestId, Double value, String at) {
        Map<String, Object> event = new HashMap<>();
        event.put("id", prefix + type);
        event.put("type", type);
        event.put("userId", userId(user));
        event.put("itemId", Integer.toString(video));
        event.put("requestId", requestId);
        if (value != null) {
            event.put("value", value);
        }
        event.put("occurredAt", at);
        return event;
    }

    private void flush(List<Map<String, Object>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        http.serve("/api/events", Map.of("events", batch));
        events.add(batch.size());
        batch.clear();
    }

    static String userId(int user) {
        return "u" + user;
    }
}
