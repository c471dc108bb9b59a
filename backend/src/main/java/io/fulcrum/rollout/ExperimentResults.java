package io.fulcrum.rollout;

import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads an A/B experiment's results from the attributed events: one GROUP BY over the experiment's
 * events gives per-user sums (exposures, clicks, plays, watch seconds, completions, shares,
 * comments), and a second level of aggregation in the same statement reduces them to each variant's
 * moments, so per-user rows never leave PostgreSQL. Latency comes from the variant's rank requests.
 * The statistics themselves are plain Java ({@link WelchTest}, {@link RatioZTest}, {@link
 * RelativeLift}, {@link SampleRatioMismatch}, {@link GuardrailCheck}).
 */
@Service
public class ExperimentResults {

    /** Comparisons report 95 % intervals ... */
    static final double CONFIDENCE = 0.95;

    /** ... and call a difference significant below this p-value. */
    static final double SIGNIFICANCE = 0.05;

    /** Memory for the per-user aggregation, for this transaction only. */
    static final String WORK_MEM = "64MB";

    static final String VARIANT_MOMENTS = """
            WITH per_user AS (
                SELECT variant,
                       count(*) FILTER (WHERE type = 'exposure')::float8 AS exposures,
                       count(*) FILTER (WHERE type = 'click')::float8 AS clicks,
                       count(*) FILTER (WHERE type = 'play')::float8 AS plays,
                       coalesce(sum(value) FILTER (WHERE type = 'watch_time'), 0) AS watch,
                       coalesce(sum(value) FILTER (WHERE type = 'completion'), 0) AS completion_sum,
                       count(*) FILTER (WHERE type = 'completion')::float8 AS completions,
                       count(*) FILTER (WHERE type = 'share')::float8 AS shares,
                       count(*) FILTER (WHERE type = 'comment')::float8 AS comments
                FROM ab_event
                WHERE experiment_id = ?
                GROUP BY variant, user_id
                HAVING count(*) FILTER (WHERE type = 'exposure') > 0
            )
            SELECT variant, count(*) AS users, sum(exposures) AS exposure_total,
                   avg(exposures) AS m_exp, var_samp(exposures) AS v_exp,
                   avg(plays) AS m_play, var_samp(plays) AS v_play, covar_samp(plays, exposures) AS c_play,
                   avg(watch) AS m_watch, var_samp(watch) AS v_watch,
                   avg(clicks) AS m_click, var_samp(clicks) AS v_click, covar_samp(clicks, exposures) AS c_click,
                   avg(shares) AS m_share, var_samp(shares) AS v_share, covar_samp(shares, exposures) AS c_share,
                   avg(comments) AS m_comment, var_samp(comments) AS v_comment,
                   covar_samp(comments, exposures) AS c_comment,
                   avg(completion_sum) AS m_csum, var_samp(completion_sum) AS v_csum,
                   avg(completions) AS m_ccount, var_samp(completions) AS v_ccount,
                   covar_samp(completion_sum, completions) AS c_completion
            FROM per_user
            GROUP BY variant
            """;

    private static final String LATENCY = """
            SELECT variant, count(*) AS requests,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_micros) / 1000.0 AS p99_ms
            FROM rank_request
            WHERE experiment_id = ? AND variant IS NOT NULL
            GROUP BY variant
            """;

    private static final String SLOWER = """
            SELECT variant, count(*) FILTER (WHERE latency_micros > ?) AS slower
            FROM rank_request
            WHERE experiment_id = ? AND variant IS NOT NULL
            GROUP BY variant
            """;

    private final JdbcTemplate jdbc;
    private final int minUsers;
    private final Clock clock = Clock.systemUTC();

    ExperimentResults(JdbcTemplate jdbc, @Value("${fulcrum.rollout.guardrail-min-users:100}") int minUsers) {
        this.jdbc = jdbc;
        this.minUsers = minUsers;
    }

    /** One variant's per-user moments; {@code users} 0 when no user of it was exposed yet. */
    record VariantStats(
            long users,
            long exposures,
            Moments exposuresPerUser,
            Moments playsPerUser,
            Moments watchPerUser,
            RatioMoments clickRate,
            RatioMoments playRate,
            RatioMoments shareRate,
            RatioMoments commentRate,
            RatioMoments completionRatio) {

        static final VariantStats EMPTY = new VariantStats(
                0,
                0,
                Moments.of(),
                Moments.of(),
                Moments.of(),
                RatioMoments.of(new double[0], new double[0]),
                RatioMoments.of(new double[0], new double[0]),
                RatioMoments.of(new double[0], new double[0]),
                RatioMoments.of(new double[0], new double[0]),
                RatioMoments.of(new double[0], new double[0]));

        Moments perUser(RolloutMetric metric) {
            return switch (metric) {
                case EXPOSURES_PER_USER -> exposuresPerUser;
                case VIEWS_PER_USER -> playsPerUser;
                case WATCH_TIME_PER_USER -> watchPerUser;
                default -> throw new IllegalArgumentException(metric + " is not a per-user metric");
            };
        }

        RatioMoments rate(RolloutMetric metric) {
            return switch (metric) {
                case CLICK_RATE -> clickRate;
                case PLAY_RATE -> playRate;
                case SHARE_RATE -> shareRate;
                case COMMENT_RATE -> commentRate;
                case COMPLETION_RATIO -> completionRatio;
                default -> throw new IllegalArgumentException(metric + " is not a rate");
            };
        }

        double value(RolloutMetric metric) {
            return switch (metric.kind()) {
                case PER_USER -> perUser(metric).mean();
                case RATE -> rate(metric).ratio();
                case LATENCY -> throw new IllegalArgumentException("latency comes from rank requests");
            };
        }
    }

    /** A variant's ranking requests: how many, and their p99 latency in ms (NaN without any). */
    record Latency(long requests, double p99Millis) {}

    private record VariantRow(String name, boolean control, int modelVersion, int allocationBps) {}

    private record ExperimentRow(
            long id, String state, String targetMetric, String guardrails, String rampPlan, int rampStep) {}

    /**
     * The experiment's results now. Throws {@link NotFoundException} for an unknown experiment and
     * {@link ConflictException} for a DRAFT (it has no traffic yet).
     */
    @Transactional(readOnly = true)
    public ResultsView compute(long experimentId) {
        ExperimentRow experiment = jdbc
                .query(
                        "SELECT id, state, target_metric, guardrails::text, ramp_plan::text, ramp_step"
                                + " FROM ab_experiment WHERE id = ?",
                        (rs, i) -> new ExperimentRow(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getInt(6)),
                        experimentId)
                .stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("A/B experiment", experimentId));
        if (experiment.state().equals("DRAFT")) {
            throw new ConflictException("A/B experiment " + experimentId + " has not started: a DRAFT has no results");
        }
        List<VariantRow> variants = jdbc.query(
                "SELECT name, control, model_version, allocation_bps FROM ab_variant WHERE experiment_id = ?"
                        + " ORDER BY position",
                (rs, i) -> new VariantRow(rs.getString(1), rs.getBoolean(2), rs.getInt(3), rs.getInt(4)),
                experimentId);
        // With the default 4 MB the planner avoids hashing 100k users and walks the partial index in
        // (variant, user) order instead, which for an experiment holding most events means a random heap
        // read per event (docs/benchmarks.md, "bench events").
        jdbc.execute("SET LOCAL work_mem = '" + WORK_MEM + "'");
        Map<String, VariantStats> stats = new HashMap<>();
        jdbc.query(
                VARIANT_MOMENTS,
                rs -> {
                    stats.put(rs.getString("variant"), stats(rs));
                },
                experimentId);
        Map<String, Latency> latency = new HashMap<>();
        jdbc.query(
                LATENCY,
                rs -> {
                    latency.put(rs.getString(1), new Latency(rs.getLong(2), rs.getDouble(3)));
                },
                experimentId);

        double percent = AbExperiments.rampPercent(experiment.rampPlan(), experiment.rampStep());
        int[] active = new TrafficSplit(
                        variants.stream().map(VariantRow::name).toList(),
                        variants.stream().map(VariantRow::allocationBps).toList(),
                        percent)
                .activeBuckets();
        long activeTotal = 0;
        for (int a : active) {
            activeTotal += a;
        }

        String control = variants.stream()
                .filter(VariantRow::control)
                .map(VariantRow::name)
                .findFirst()
                .orElse(null);
        List<ResultsView.Variant> variantViews = new ArrayList<>();
        Map<String, Long> observed = new LinkedHashMap<>();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < variants.size(); i++) {
            VariantRow v = variants.get(i);
            VariantStats s = stats.getOrDefault(v.name(), VariantStats.EMPTY);
            Latency l = latency.getOrDefault(v.name(), new Latency(0, Double.NaN));
            double share = activeTotal == 0 ? 0 : (double) active[i] / activeTotal;
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (RolloutMetric m : RolloutMetric.values()) {
                metrics.put(m.wire(), finite(m.kind() == RolloutMetric.Kind.LATENCY ? l.p99Millis() : s.value(m)));
            }
            variantViews.add(new ResultsView.Variant(
                    v.name(), v.control(), v.modelVersion(), s.users(), s.exposures(), share, metrics));
            observed.put(v.name(), s.users());
            shares.put(v.name(), share);
        }

        List<ResultsView.Comparison> comparisons = new ArrayList<>();
        List<GuardrailStatus> guardrails = new ArrayList<>();
        if (control != null) {
            VariantStats c = stats.getOrDefault(control, VariantStats.EMPTY);
            List<Guardrail> rules = Guardrail.listOf(experiment.guardrails());
            Map<Double, Map<String, Long>> slower = slowerCounts(experimentId, rules);
            for (VariantRow v : variants) {
                if (v.control()) {
                    continue;
                }
                VariantStats t = stats.getOrDefault(v.name(), VariantStats.EMPTY);
                for (RolloutMetric m : RolloutMetric.values()) {
                    if (m.kind() != RolloutMetric.Kind.LATENCY) {
                        comparisons.add(compare(v.name(), m, c, t));
                    }
                }
                Latency l = latency.getOrDefault(v.name(), new Latency(0, Double.NaN));
                for (Guardrail rule : rules) {
                    guardrails.add(guardrail(rule, v.name(), control, c, t, l, slower));
                }
            }
        }
        return new ResultsView(
                experiment.id(),
                experiment.state(),
                experiment.targetMetric(),
                control,
                Instant.now(clock),
                variantViews,
                comparisons,
                SampleRatioMismatch.test(observed, shares),
                guardrails);
    }

    /** One treatment against the control on one per-user or rate metric. */
    static ResultsView.Comparison compare(
            String variant, RolloutMetric metric, VariantStats control, VariantStats treatment) {
        RelativeLift lift;
        double p;
        if (metric.kind() == RolloutMetric.Kind.PER_USER) {
            lift = RelativeLift.ofMeans(control.perUser(metric), treatment.perUser(metric));
            p = WelchTest.of(control.perUser(metric), treatment.perUser(metric)).pValue();
        } else {
            lift = RelativeLift.ofRatios(control.rate(metric), treatment.rate(metric));
            p = RatioZTest.of(control.rate(metric), treatment.rate(metric)).pValue();
        }
        return new ResultsView.Comparison(
                variant,
                metric.wire(),
                finite(control.value(metric)),
                finite(treatment.value(metric)),
                finite(lift.lift()),
                finite(lift.low(CONFIDENCE)),
                finite(lift.high(CONFIDENCE)),
                finite(p),
                p < SIGNIFICANCE);
    }

    private GuardrailStatus guardrail(
            Guardrail rule,
            String variant,
            String control,
            VariantStats c,
            VariantStats t,
            Latency latency,
            Map<Double, Map<String, Long>> slower) {
        RolloutMetric metric = RolloutMetric.fromWire(rule.metric()).orElse(null);
        double alpha = rule.alphaOrDefault();
        if (metric != null && metric.kind() == RolloutMetric.Kind.LATENCY && rule.maxMillis() != null) {
            long over = slower.getOrDefault(rule.maxMillis(), Map.of()).getOrDefault(variant, 0L);
            return GuardrailCheck.latency(
                    variant,
                    metric.wire(),
                    rule.maxMillis(),
                    alpha,
                    latency.p99Millis(),
                    latency.requests(),
                    over,
                    minUsers);
        }
        if (metric != null && metric.kind() != RolloutMetric.Kind.LATENCY && rule.maxRelativeDrop() != null) {
            RelativeLift lift = metric.kind() == RolloutMetric.Kind.PER_USER
                    ? RelativeLift.ofMeans(c.perUser(metric), t.perUser(metric))
                    : RelativeLift.ofRatios(c.rate(metric), t.rate(metric));
            return GuardrailCheck.relativeDrop(
                    variant,
                    control,
                    metric.wire(),
                    rule.maxRelativeDrop(),
                    alpha,
                    c.users(),
                    t.users(),
                    lift,
                    minUsers);
        }
        // The experiment API validates guardrails; this only keeps an odd stored row from hiding the others.
        String ruleName = rule.maxMillis() != null ? GuardrailStatus.MAX_MILLIS : GuardrailStatus.MAX_RELATIVE_DROP;
        return new GuardrailStatus(
                variant,
                rule.metric(),
                ruleName,
                0,
                null,
                null,
                false,
                rule.metric() + ": not evaluated, the guardrail does not fit the metric");
    }

    /** Per latency threshold: each variant's requests slower than it. */
    private Map<Double, Map<String, Long>> slowerCounts(long experimentId, List<Guardrail> rules) {
        Map<Double, Map<String, Long>> counts = new HashMap<>();
        for (Guardrail rule : rules) {
            if (rule.maxMillis() == null || counts.containsKey(rule.maxMillis())) {
                continue;
            }
            Map<String, Long> byVariant = new HashMap<>();
            jdbc.query(
                    SLOWER,
                    rs -> {
                        byVariant.put(rs.getString(1), rs.getLong(2));
                    },
                    rule.maxMillis() * 1000,
                    experimentId);
            counts.put(rule.maxMillis(), byVariant);
        }
        return counts;
    }

    private static VariantStats stats(ResultSet rs) throws SQLException {
        long n = rs.getLong("users");
        double mExp = rs.getDouble("m_exp");
        double vExp = nullable(rs, "v_exp");
        double mPlay = rs.getDouble("m_play");
        double vPlay = nullable(rs, "v_play");
        return new VariantStats(
                n,
                Math.round(rs.getDouble("exposure_total")),
                new Moments(n, mExp, vExp),
                new Moments(n, mPlay, vPlay),
                new Moments(n, rs.getDouble("m_watch"), nullable(rs, "v_watch")),
                ratio(rs, n, "click", mExp, vExp),
                new RatioMoments(n, mPlay, mExp, vPlay, vExp, nullable(rs, "c_play")),
                ratio(rs, n, "share", mExp, vExp),
                ratio(rs, n, "comment", mExp, vExp),
                new RatioMoments(
                        n,
                        rs.getDouble("m_csum"),
                        rs.getDouble("m_ccount"),
                        nullable(rs, "v_csum"),
                        nullable(rs, "v_ccount"),
                        nullable(rs, "c_completion")));
    }

    /** A count per exposure: numerator columns m_/v_/c_{name}, denominator the exposures. */
    private static RatioMoments ratio(ResultSet rs, long n, String name, double mExp, double vExp) throws SQLException {
        return new RatioMoments(
                n, rs.getDouble("m_" + name), mExp, nullable(rs, "v_" + name), vExp, nullable(rs, "c_" + name));
    }

    /** SQL NULL (var_samp of one user) as NaN. */
    private static double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
