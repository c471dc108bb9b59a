package io.fulcrum.rollout;

import io.fulcrum.registry.AliasView;
import io.fulcrum.registry.ModelAliasMoved;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.Json;
import io.fulcrum.system.NotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Which route serves a user on a surface: a variant of the experiment RUNNING there, by the user's
 * bucket ({@link BucketHash}) in the experiment's {@link TrafficSplit} at its current ramp percentage,
 * or the {@code champion} alias of the surface's model for everyone outside the experiment.
 *
 * <p>Each surface's plan is read once and cached; it is dropped after the changing transaction
 * commits ({@link RolloutChanged}, {@link ModelAliasMoved}), so a rolled-back change never flips
 * serving, and after a short TTL as a safety net for changes made behind the application's back.
 */
@Component
public class SurfaceRouting {

    /** The alias that serves a surface when no experiment runs on it. */
    public static final String CHAMPION = "champion";

    private final JdbcTemplate jdbc;
    private final ModelRegistry registry;
    private final long ttlNanos;
    private final Map<String, Cached> plans = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    SurfaceRouting(JdbcTemplate jdbc, ModelRegistry registry, ServingProperties properties) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.ttlNanos = properties.routingTtl().toNanos();
    }

    /**
     * The route of {@code userId} on the surface.
     *
     * @throws NotFoundException when there is no such surface
     * @throws ConflictException when the user is not in a running experiment and the surface's model
     *     has no champion
     */
    public Route route(String surface, String userId) {
        Plan plan = plan(surface);
        if (plan.experiment != null) {
            Route variant = plan.experiment.routeOf(userId);
            if (variant != null) {
                return variant;
            }
        }
        if (plan.champion == null) {
            throw new ConflictException("surface " + plan.surface + " has nothing to serve: set the champion alias"
                    + " of model " + plan.modelName);
        }
        return plan.champion;
    }

    /** Drops the cached plans of one surface; the next request reads them again. */
    public void forget(long surfaceId) {
        generation.incrementAndGet();
        plans.values().removeIf(c -> c.plan.surfaceId == surfaceId);
    }

    /** Drops every cached plan. */
    public void forgetAll() {
        generation.incrementAndGet();
        plans.clear();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RolloutChanged event) {
        forget(event.surfaceId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ModelAliasMoved event) {
        generation.incrementAndGet();
        plans.values().removeIf(c -> c.plan.modelName.equals(event.modelName()));
    }

    private Plan plan(String surface) {
        Cached cached = plans.get(surface);
        long now = System.nanoTime();
        if (cached != null && (now - cached.readAt < ttlNanos || !cached.refreshing.compareAndSet(false, true))) {
            // past the TTL one request reads the plan again while the others keep the one they have: the TTL
            // is a safety net, what must switch at once arrives as an event that removes the entry instead
            return cached.plan;
        }
        long seen = generation.get();
        Plan plan;
        try {
            plan = load(surface);
        } catch (RuntimeException e) {
            if (cached != null) {
                cached.refreshing.set(false);
            }
            throw e;
        }
        Cached fresh = new Cached(plan, now, new AtomicBoolean());
        plans.put(surface, fresh);
        // a change that committed while this plan was read may not be in it: let the next request read again
        if (generation.get() != seen) {
            plans.remove(surface, fresh);
        }
        return plan;
    }

    private Plan load(String surface) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, model_name, scoring::text AS scoring FROM surface WHERE name = ?", surface);
        if (rows.isEmpty()) {
            throw new NotFoundException("Surface", "'" + surface + "'");
        }
        Map<String, Object> row = rows.get(0);
        long surfaceId = ((Number) row.get("id")).longValue();
        String modelName = (String) row.get("model_name");
        ScoringSpec scoring = Json.MAPPER.readValue((String) row.get("scoring"), ScoringSpec.class);
        Route champion = null;
        Integer championVersion = championVersion(modelName);
        if (championVersion != null) {
            champion = new Route(surfaceId, surface, null, null, modelName, championVersion, scoring);
        }
        return new Plan(surfaceId, surface, modelName, champion, runningExperiment(surfaceId, surface, modelName));
    }

    /** Read through the alias list rather than resolve, which would throw (and doom a caller's transaction) without one. */
    private Integer championVersion(String modelName) {
        try {
            return registry.aliases(modelName).stream()
                    .filter(a -> a.alias().equals(CHAMPION))
                    .map(AliasView::version)
                    .findFirst()
                    .orElse(null);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private Experiment runningExperiment(long surfaceId, String surface, String modelName) {
        List<Map<String, Object>> experiments = jdbc.queryForList(
                "SELECT id, salt, ramp_plan::text AS ramp_plan, ramp_step FROM ab_experiment"
                        + " WHERE surface_id = ? AND state = 'RUNNING'",
                surfaceId);
        if (experiments.isEmpty()) {
            return null;
        }
        Map<String, Object> e = experiments.get(0);
        long id = ((Number) e.get("id")).longValue();
        double percent =
                AbExperiments.rampPercent((String) e.get("ramp_plan"), ((Number) e.get("ramp_step")).intValue());
        List<String> names = new ArrayList<>();
        List<Integer> allocations = new ArrayList<>();
        Map<String, Route> routes = new HashMap<>();
        jdbc.query(
                "SELECT name, model_version, scoring::text AS scoring, allocation_bps FROM ab_variant"
                        + " WHERE experiment_id = ? ORDER BY position",
                rs -> {
                    String name = rs.getString("name");
                    names.add(name);
                    allocations.add(rs.getInt("allocation_bps"));
                    routes.put(
                            name,
                            new Route(
                                    surfaceId,
                                    surface,
                                    id,
                                    name,
                                    modelName,
                                    rs.getInt("model_version"),
                                    Json.MAPPER.readValue(rs.getString("scoring"), ScoringSpec.class)));
                },
                id);
        return new Experiment((String) e.get("salt"), new TrafficSplit(names, allocations, percent), routes);
    }

    private record Cached(Plan plan, long readAt, AtomicBoolean refreshing) {}

    private record Plan(long surfaceId, String surface, String modelName, Route champion, Experiment experiment) {}

    private record Experiment(String salt, TrafficSplit split, Map<String, Route> routes) {

        Route routeOf(String userId) {
            String variant = split.variantOf(BucketHash.bucket(salt, userId));
            return variant == null ? null : routes.get(variant);
        }
    }
}
