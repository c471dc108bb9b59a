package io.fulcrum.rollout;

import io.fulcrum.mtl.Predictions;
import io.fulcrum.rollout.internal.CandidateEncoder;
import io.fulcrum.rollout.internal.RankLog;
import io.fulcrum.rollout.internal.RankRequest;
import io.fulcrum.rollout.internal.RankResponse;
import io.fulcrum.rollout.internal.ServingModel;
import io.fulcrum.rollout.internal.ServingModels;
import io.fulcrum.rollout.internal.Violations;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The ranking endpoint's work: check the request, route the user, encode the candidates, score them in
 * one batched forward pass, order them by the route's weighted multiplication and record what was
 * shown. A request with any broken rule gets one 400 listing them and records nothing.
 */
@Service
public class Ranking {

    /** The surface of a request that names none. */
    public static final String DEFAULT_SURFACE = "default";

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_ID_LENGTH = 200;

    private final SurfaceRouting routing;
    private final ServingModels models;
    private final RankLog log;
    private final ServingProperties properties;
    private final MeterRegistry meters;

    Ranking(
            SurfaceRouting routing,
            ServingModels models,
            RankLog log,
            ServingProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        this.routing = routing;
        this.models = models;
        this.log = log;
        this.properties = properties;
        this.meters = meters.getIfAvailable();
    }

    /**
     * Ranks the request's candidates and records the ranking.
     *
     * @param receivedNanos {@link System#nanoTime()} when the request arrived: the recorded latency runs
     *     from there to just before the ranking is recorded
     */
    public RankResponse rank(RankRequest request, long receivedNanos) {
        return rank(request, receivedNanos, null);
    }

    /** After which step {@code marks[i]} is taken, when {@link RankPhases} times the request's phases. */
    static final int ROUTED = 0, ENCODED = 1, FORWARDED = 2, SORTED = 3, LOGGED = 4, MARKS = 5;

    /**
     * {@link #rank(RankRequest, long)}, writing {@link System#nanoTime()} into {@code marks} (when not
     * null) after the checks and the route, the encoding, the forward pass, the scoring and sorting,
     * and the record.
     */
    RankResponse rank(RankRequest request, long receivedNanos, long[] marks) {
        Violations violations = new Violations();
        String surface = request.surface() == null ? DEFAULT_SURFACE : request.surface();
        String userId = request.userId();
        boolean userOk = checkUser(userId, violations);
        List<RankRequest.Candidate> candidates = request.candidates() == null ? List.of() : request.candidates();
        int n = candidates.size();
        boolean sized = checkSize(n, violations);
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        if (limit < 1) {
            violations.add("limit", "min", "must be at least 1");
        }
        if (sized) {
            checkItems(candidates, violations);
        }
        Route route = null;
        ConflictException nothingToServe = null;
        if (userOk) {
            try {
                route = routing.route(surface, userId);
            } catch (NotFoundException e) {
                violations.add("surface", "exists", "there is no surface '" + surface + "'");
            } catch (ConflictException e) {
                nothingToServe = e;
            }
        }
        if (route == null || !sized) {
            violations.throwIfAny();
            throw nothingToServe != null ? nothingToServe : new IllegalStateException("no route and no reason");
        }
        mark(marks, ROUTED);

        UUID requestId = UUID.randomUUID();
        List<RankResponse.RankedItem> items;
        CandidateEncoder.Encoded encoded;
        try (ServingModels.Lease lease = models.acquire(route.modelName(), route.modelVersion())) {
            ServingModel model = lease.model();
            encoded = model.encoder()
                    .encode(request, route.scoring().lengthTransform().usesLength(), violations);
            violations.throwIfAny();
            mark(marks, ENCODED);
            Predictions predictions =
                    model.predict(encoded.rows(), properties.borrowTimeout(), properties.torchThreads());
            mark(marks, FORWARDED);
            double[] scores = route.scoring().score(model.tasks(), predictions.values(), encoded.lengths(), n);
            items = best(candidates, model.tasks(), predictions.values(), scores, Math.min(limit, n));
            countOov(route, model.encoder().categoricalNames(), encoded.oovByFeature());
        }

        List<String> shown = new ArrayList<>(items.size());
        for (RankResponse.RankedItem item : items) {
            shown.add(item.itemId());
        }
        long latencyMicros = (System.nanoTime() - receivedNanos) / 1000;
        mark(marks, SORTED);
        log.record(requestId, route, userId, n, shown, encoded.oovValues(), latencyMicros, Instant.now());
        mark(marks, LOGGED);
        return new RankResponse(
                requestId,
                route.surface(),
                route.experimentId(),
                route.variant(),
                new RankResponse.ModelRef(route.modelName(), route.modelVersion()),
                items,
                encoded.oovValues());
    }

    private static void mark(long[] marks, int step) {
        if (marks != null) {
            marks[step] = System.nanoTime();
        }
    }

    private static boolean checkUser(String userId, Violations violations) {
        if (userId == null || userId.isBlank()) {
            violations.add("userId", "required", "must not be blank");
            return false;
        }
        if (userId.length() > MAX_ID_LENGTH) {
            violations.add("userId", "max-length", "must be at most " + MAX_ID_LENGTH + " characters");
            return false;
        }
        return true;
    }

    private boolean checkSize(int n, Violations violations) {
        if (n == 0) {
            violations.add("candidates", "min-size", "must list at least one candidate");
            return false;
        }
        if (n > properties.maxCandidates()) {
            violations.add(
                    "candidates",
                    "max-size",
                    "must list at most " + properties.maxCandidates() + " candidates, got " + n
                            + " (fulcrum.serving.max-candidates)");
            return false;
        }
        return true;
    }

    private static void checkItems(List<RankRequest.Candidate> candidates, Violations violations) {
        Set<String> seen = new HashSet<>(candidates.size() * 2);
        for (int i = 0; i < candidates.size(); i++) {
            RankRequest.Candidate c = candidates.get(i);
            if (c == null) {
                violations.add("candidates[" + i + "]", "required", "must be a candidate object");
                continue;
            }
            String id = c.itemId();
            // the field's path is built only for a violation: 200 strings per request otherwise
            if (id == null || id.isBlank()) {
                violations.add(itemIdPath(i), "required", "must not be blank");
            } else if (id.length() > MAX_ID_LENGTH) {
                violations.add(itemIdPath(i), "max-length", "must be at most " + MAX_ID_LENGTH + " characters");
            } else if (!seen.add(id)) {
                violations.add(itemIdPath(i), "unique", "'" + id + "' is already an earlier candidate");
            }
        }
    }

    private static String itemIdPath(int candidate) {
        return "candidates[" + candidate + "].itemId";
    }

    /** The {@code limit} best candidates, by score descending, ties in the order they were sent. */
    static List<RankResponse.RankedItem> best(
            List<RankRequest.Candidate> candidates,
            List<String> tasks,
            float[][] predictions,
            double[] scores,
            int limit) {
        int[] order = bestFirst(scores, 0, scores.length, limit);
        List<RankResponse.RankedItem> items = new ArrayList<>(order.length);
        for (int r = 0; r < order.length; r++) {
            int i = order[r];
            Map<String, Float> byTask = new LinkedHashMap<>();
            for (int k = 0; k < tasks.size(); k++) {
                byTask.put(tasks.get(k), predictions[k][i]);
            }
            items.add(new RankResponse.RankedItem(candidates.get(i).itemId(), r + 1, scores[i], byTask));
        }
        return items;
    }

    /**
     * The {@code limit} best of the {@code n} scores starting at {@code from}, best first, as offsets from
     * {@code from}. Equal scores keep candidate order; a NaN score (a diverged model) ranks last instead of
     * first.
     */
    public static int[] bestFirst(double[] scores, int from, int n, int limit) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is stable
        Arrays.sort(order, (a, b) -> Double.compare(sortKey(scores[from + b]), sortKey(scores[from + a])));
        int[] best = new int[Math.min(limit, n)];
        for (int r = 0; r < best.length; r++) {
            best[r] = order[r];
        }
        return best;
    }

    private static double sortKey(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }

    private void countOov(Route route, String[] features, int[] oov) {
        if (meters == null) {
            return;
        }
        for (int c = 0; c < oov.length; c++) {
            if (oov[c] > 0) {
                meters.counter("fulcrum.serving.oov.values", "model", route.modelName(), "feature", features[c])
                        .increment(oov[c]);
            }
        }
    }
}
