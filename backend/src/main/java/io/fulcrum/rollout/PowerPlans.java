package io.fulcrum.rollout;

import io.fulcrum.rollout.internal.AbExperimentRules;
import io.fulcrum.rollout.internal.AbExperimentStore;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Plans an experiment from the surface's recent events ({@link PowerPlanning}'s formulas): the users
 * of the last min(duration, 28 days) on the surface give each metric's baseline and spread per user,
 * and, scaled by the traffic share and the number of variants, the users per variant the experiment
 * can expect. From those, per metric, the minimum detectable effect (fixed and sequential) and, for a
 * target lift, the users and days it needs.
 */
@Service
public class PowerPlans {

    static final Duration MAX_LOOKBACK = Duration.ofDays(28);
    static final Duration MAX_DURATION = Duration.ofDays(90);
    static final List<RolloutMetric> DEFAULT_METRICS =
            List.of(RolloutMetric.VIEWS_PER_USER, RolloutMetric.WATCH_TIME_PER_USER);

    private static final String SURFACE_MOMENTS = "WITH per_user AS (SELECT e.user_id, min(e.occurred_at) AS first_at, "
            + UserColumns.sumsSelect()
            + " FROM ab_event e JOIN rank_request r ON r.request_id = e.request_id"
            + " WHERE r.surface_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?"
            + " GROUP BY e.user_id HAVING count(*) FILTER (WHERE type = 'exposure') > 0)"
            + " SELECT min(first_at) AS first_event, " + UserColumns.momentsSelect(UserColumns.SUMS) + " FROM per_user";

    private final JdbcTemplate jdbc;
    private final AbExperimentStore store;
    private final Clock clock = Clock.systemUTC();

    PowerPlans(JdbcTemplate jdbc, AbExperimentStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    private record Checked(
            AbExperimentStore.SurfaceRow surface,
            List<RolloutMetric> metrics,
            Duration duration,
            double share,
            int variants,
            Double target,
            double alpha,
            double power) {}

    @Transactional(readOnly = true)
    public PowerPlanView plan(PowerPlanRequest request) {
        Checked c = check(request);
        Instant to = clock.instant();
        Duration lookback = c.duration().compareTo(MAX_LOOKBACK) > 0 ? MAX_LOOKBACK : c.duration();
        Instant from = to.minus(lookback);
        jdbc.execute("SET LOCAL work_mem = '" + AbResults.WORK_MEM + "'");
        Instant[] first = new Instant[1];
        UserMoments moments = jdbc.query(
                SURFACE_MOMENTS,
                rs -> {
                    rs.next();
                    Timestamp t = rs.getTimestamp("first_event");
                    first[0] = t == null ? null : t.toInstant();
                    return AbResults.moments(rs, UserColumns.SUMS);
                },
                c.surface().id(),
                Timestamp.from(from),
                Timestamp.from(to));
        if (moments == null || moments.n() < 2) {
            throw new InvalidInputException(new FieldViolation(
                    "surface",
                    "has-events",
                    "surface '" + c.surface().name() + "' has " + (moments == null ? 0 : moments.n())
                            + " users with exposures since " + from + "; planning needs its recent events"));
        }
        // the span the events cover: the whole lookback unless the surface is newer than it
        Duration span = Duration.between(first[0].isAfter(from) ? first[0] : from, to);
        double spanDays = Math.max(span.toSeconds(), 3600) / 86_400.0;
        double durationDays = c.duration().toSeconds() / 86_400.0;
        boolean extrapolated = durationDays > spanDays * 1.0001;
        double usersInDuration = extrapolated ? moments.n() * durationDays / spanDays : moments.n();
        long perVariant = (long) Math.floor(usersInDuration * c.share() / c.variants());
        double usersPerDay = moments.n() / spanDays;

        List<PowerPlanView.Metric> metrics = new ArrayList<>();
        for (RolloutMetric m : c.metrics()) {
            double baseline;
            double cv;
            if (m.kind() == RolloutMetric.Kind.PER_USER) {
                Moments mm = moments.moments(UserColumns.perUser(m));
                baseline = mm.mean();
                cv = Math.sqrt(mm.variance()) / Math.abs(baseline);
            } else {
                int[] r = UserColumns.rate(m);
                RatioMoments rm = moments.ratio(r[0], r[1]);
                baseline = rm.ratio();
                cv = Math.sqrt(rm.ratioVariance() * rm.n()) / Math.abs(baseline);
            }
            boolean defined = Double.isFinite(cv) && cv > 0 && perVariant >= 2;
            Double mde = defined ? PowerPlanning.mde(cv, perVariant, c.alpha(), c.power()) : null;
            Double mdeSequential = defined ? PowerPlanning.sequentialMde(cv, perVariant, c.alpha(), c.power()) : null;
            Long needed = null;
            Double days = null;
            if (c.target() != null && Double.isFinite(cv) && cv > 0) {
                needed = PowerPlanning.usersPerVariant(cv, c.target(), c.alpha(), c.power());
                days = needed * c.variants() / c.share() / usersPerDay;
            }
            metrics.add(new PowerPlanView.Metric(
                    m.wire(), AbResults.finite(baseline), AbResults.finite(cv), mde, mdeSequential, needed, days));
        }
        return new PowerPlanView(
                c.surface().name(), from, to, moments.n(), perVariant, extrapolated, c.alpha(), c.power(), metrics);
    }

    private Checked check(PowerPlanRequest request) {
        if (request == null) {
            throw new InvalidInputException(new FieldViolation("$", "required", "a plan request is required"));
        }
        List<FieldViolation> v = new ArrayList<>();
        AbExperimentStore.SurfaceRow surface = null;
        if (request.surface() == null || request.surface().isBlank()) {
            v.add(new FieldViolation("surface", "required", "name the surface to plan on"));
        } else {
            Optional<AbExperimentStore.SurfaceRow> found =
                    store.surface(request.surface().strip());
            if (found.isEmpty()) {
                v.add(new FieldViolation(
                        "surface",
                        "exists",
                        "there is no surface named '" + request.surface().strip() + "'"));
            }
            surface = found.orElse(null);
        }
        List<RolloutMetric> metrics = new ArrayList<>();
        List<String> names = request.metrics() == null || request.metrics().isEmpty()
                ? DEFAULT_METRICS.stream().map(RolloutMetric::wire).toList()
                : request.metrics();
        for (int i = 0; i < names.size(); i++) {
            Optional<RolloutMetric> m = RolloutMetric.fromWire(names.get(i));
            if (m.isEmpty() || m.get().kind() == RolloutMetric.Kind.LATENCY) {
                v.add(new FieldViolation(
                        "metrics[" + i + "]", "one-of", "must be one of " + AbExperimentRules.targetMetrics()));
            } else {
                metrics.add(m.get());
            }
        }
        Duration duration = null;
        if (request.duration() == null || request.duration().isBlank()) {
            v.add(new FieldViolation("duration", "required", "give the planned duration, e.g. P14D"));
        } else {
            try {
                duration = Duration.parse(request.duration().strip());
                if (duration.compareTo(Duration.ofHours(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
                    v.add(new FieldViolation("duration", "range", "must be from PT1H to P90D"));
                }
            } catch (DateTimeParseException e) {
                v.add(new FieldViolation("duration", "format", "must be an ISO-8601 duration such as P14D"));
            }
        }
        double share = request.trafficShare() == null ? Double.NaN : request.trafficShare();
        if (request.trafficShare() == null) {
            v.add(new FieldViolation("trafficShare", "required", "give the share of the surface's users, e.g. 0.2"));
        } else if (!(share > 0 && share <= 1)) {
            v.add(new FieldViolation("trafficShare", "range", "must be in (0, 1]"));
        }
        int variants = request.variants() == null ? 2 : request.variants();
        if (variants < AbExperimentRules.MIN_VARIANTS || variants > AbExperimentRules.MAX_VARIANTS) {
            v.add(new FieldViolation("variants", "range", "must be 2 to 10"));
        }
        Double target = request.targetLift();
        if (target != null && !(target > 0 && target < 10)) {
            v.add(new FieldViolation("targetLift", "range", "must be a relative lift above 0, e.g. 0.02 for +2 %"));
        }
        double alpha = request.alpha() == null ? 0.05 : request.alpha();
        if (!(alpha > 0 && alpha <= 0.5)) {
            v.add(new FieldViolation("alpha", "range", "must be in (0, 0.5]"));
        }
        double power = request.power() == null ? 0.8 : request.power();
        if (!(power >= 0.5 && power <= 0.99)) {
            v.add(new FieldViolation("power", "range", "must be in [0.5, 0.99]"));
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        return new Checked(surface, metrics, duration, share, variants, target, alpha, power);
    }
}
