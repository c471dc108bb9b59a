package io.fulcrum.rollout;

import io.fulcrum.rollout.internal.ExposureLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads an A/B experiment's results from the attributed events: one GROUP BY over the experiment's
 * events gives per-user sums (exposures, clicks, plays, watch seconds, completions, shares,
 * comments), a second the same users' sums over the pre-exposure window before the start, and a
 * third level of aggregation in the same statement reduces them to each variant's {@link
 * UserMoments}, so per-user rows never leave PostgreSQL. Latency comes from the variant's rank
 * requests. The statistics themselves are plain Java ({@link ComparisonAnalysis}, {@link
 * SampleRatioMismatch}, {@link GuardrailCheck}).
 */
@Service
public class AbResults {

    /** Comparisons report 95 % intervals ... */
    static final double CONFIDENCE = ComparisonAnalysis.CONFIDENCE;

    /** ... and call a difference significant below this p-value. */
    static final double SIGNIFICANCE = ComparisonAnalysis.SIGNIFICANCE;

    /** Memory for the per-user aggregation, for this transaction only. */
    static final String WORK_MEM = "64MB";

    /**
     * Parameters: experiment id, pre-window start, pre-window end (the experiment's start). A user's
     * pre-exposure events are all their events in the window, on any surface: any behaviour before
     * the experiment is a valid covariate, as the treatment cannot have moved it.
     */
    static final String VARIANT_MOMENTS = sums("per_user", "variant, user_id, ", 0) + """
            FROM ab_event
            WHERE experiment_id = ?
            GROUP BY variant, user_id
            HAVING count(*) FILTER (WHERE type = 'exposure') > 0
        ), pre AS (
        """
            + sums("", "user_id, ", UserColumns.PRE).replace(" AS (", "") + """
            FROM ab_event
            WHERE occurred_at >= ? AND occurred_at < ? AND user_id IN (SELECT user_id FROM per_user)
            GROUP BY user_id
        ), joined AS (
            SELECT u.*, """ + preColumns() + """
            FROM per_user u LEFT JOIN pre p ON p.user_id = u.user_id
        )
        SELECT variant, """
            + UserColumns.momentsSelect() + "\n" + """
        FROM joined
        GROUP BY variant
        """;

    /**
     * PostgreSQL's plan of the experiment's moments query, executed ({@code EXPLAIN (ANALYZE,
     * BUFFERS)}) with the memory and pre-exposure window {@link #compute} uses: what {@code bench
     * events} prints, and what an operator asks when results get slow.
     */
    @Transactional(readOnly = true)
    public List<String> explain(long experimentId) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT started_at, analysis_plan::text AS plan FROM ab_experiment WHERE id = ?", experimentId);
        Instant started = row.get("started_at") == null ? null : ((Timestamp) row.get("started_at")).toInstant();
        Instant[] window = preExposureWindow(started, AnalysisPlan.of((String) row.get("plan")));
        jdbc.execute("SET LOCAL work_mem = '" + WORK_MEM + "'");
        return jdbc.queryForList(
                "EXPLAIN (ANALYZE, BUFFERS) " + VARIANT_MOMENTS,
                String.class,
                experimentId,
                Timestamp.from(window[0]),
                Timestamp.from(window[1]));
    }

    /** "WITH name AS (SELECT prefix sum AS c<offset>, …" of the eight sums. */
    private static String sums(String name, String prefix, int offset) {
        StringBuilder sql = new StringBuilder(name.isEmpty() ? "" : "WITH " + name + " AS (\n");
        sql.append("    SELECT ").append(prefix);
        for (int i = 0; i < UserColumns.SUMS; i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append(UserColumns.SUM_SQL.get(i))
                    .append(" AS c")
                    .append(offset + i);
        }
        return sql.append("\n").toString();
    }

    private static String preColumns() {
        StringBuilder sql = new StringBuilder();
        for (int i = UserColumns.PRE; i < UserColumns.HAS_PRE; i++) {
            sql.append("coalesce(p.c").append(i).append(", 0) AS c").append(i).append(", ");
        }
        return sql.append("(p.user_id IS NOT NULL)::int::float8 AS c")
                .append(UserColumns.HAS_PRE)
                .append("\n")
                .toString();
    }

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
    private final ExposureLog exposures;
    private final int minUsers;
    private final Clock clock = Clock.systemUTC();

    AbResults(
            JdbcTemplate jdbc,
            ExposureLog exposures,
            @Value("${fulcrum.rollout.guardrail-min-users:100}") int minUsers) {
        this.jdbc = jdbc;
        this.exposures = exposures;
        this.minUsers = minUsers;
    }

    /** A variant's ranking requests: how many, and their p99 latency in ms (NaN without any). */
    record Latency(long requests, double p99Millis) {}

    private record VariantRow(String name, boolean control, int modelVersion, int allocationBps) {}

    private record ExperimentRow(
            long id,
            String state,
            String targetMetric,
            String guardrails,
            String rampPlan,
            int rampStep,
            Instant startedAt,
            AnalysisPlan plan) {}

    /**
     * The experiment's results now. Throws {@link NotFoundException} for an unknown experiment and
     * {@link ConflictException} for a DRAFT (it has no traffic yet).
     */
    @Transactional(readOnly = true)
    public ResultsView compute(long experimentId) {
        // the rankings this server answered so far count, also those whose exposures still wait to be written
        exposures.flush();
        ExperimentRow experiment = jdbc
                .query(
                        "SELECT id, state, target_metric, guardrails::text, ramp_plan::text, ramp_step, started_at,"
                                + " analysis_plan::text FROM ab_experiment WHERE id = ?",
                        (rs, i) -> new ExperimentRow(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getInt(6),
                                rs.getTimestamp(7) == null
                                        ? null
                                        : rs.getTimestamp(7).toInstant(),
                                AnalysisPlan.of(rs.getString(8))),
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
        Instant[] window = preExposureWindow(experiment.startedAt(), experiment.plan());
        Map<String, UserMoments> stats = new HashMap<>();
        jdbc.query(
                VARIANT_MOMENTS,
                rs -> {
                    stats.put(rs.getString("variant"), moments(rs));
                },
                experimentId,
                Timestamp.from(window[0]),
                Timestamp.from(window[1]));
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
        UserMoments empty = UserMoments.empty(UserColumns.SIZE);
        List<ResultsView.Variant> variantViews = new ArrayList<>();
        Map<String, Long> observed = new LinkedHashMap<>();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < variants.size(); i++) {
            VariantRow v = variants.get(i);
            UserMoments s = stats.getOrDefault(v.name(), empty);
            Latency l = latency.getOrDefault(v.name(), new Latency(0, Double.NaN));
            double share = activeTotal == 0 ? 0 : (double) active[i] / activeTotal;
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (RolloutMetric m : RolloutMetric.values()) {
                metrics.put(
                        m.wire(),
                        finite(m.kind() == RolloutMetric.Kind.LATENCY ? l.p99Millis() : UserColumns.value(s, m)));
            }
            variantViews.add(new ResultsView.Variant(
                    v.name(),
                    v.control(),
                    v.modelVersion(),
                    s.n(),
                    Math.round(s.n() == 0 ? 0 : s.n() * s.mean(UserColumns.EXPOSURES)),
                    share,
                    metrics));
            observed.put(v.name(), s.n());
            shares.put(v.name(), share);
        }

        ComparisonAnalysis analysis = new ComparisonAnalysis(experiment.plan());
        List<ComparisonAnalysis.Reading> readings = new ArrayList<>();
        List<String> readingVariants = new ArrayList<>();
        List<GuardrailStatus> guardrails = new ArrayList<>();
        if (control != null) {
            UserMoments c = stats.getOrDefault(control, empty);
            List<Guardrail> rules = Guardrail.listOf(experiment.guardrails());
            Map<Double, Map<String, Long>> slower = slowerCounts(experimentId, rules);
            for (VariantRow v : variants) {
                if (v.control()) {
                    continue;
                }
                UserMoments t = stats.getOrDefault(v.name(), empty);
                Map<RolloutMetric, ComparisonAnalysis.Reading> byMetric = new HashMap<>();
                for (ComparisonAnalysis.Reading r : analysis.readAll(c, t)) {
                    readings.add(r);
                    readingVariants.add(v.name());
                    byMetric.put(r.metric(), r);
                }
                Latency l = latency.getOrDefault(v.name(), new Latency(0, Double.NaN));
                for (Guardrail rule : rules) {
                    guardrails.add(guardrail(analysis, byMetric, rule, v.name(), control, c, t, l, slower));
                }
            }
        }
        double[] adjusted = analysis.corrected(readings);
        List<ResultsView.Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            comparisons.add(comparison(readingVariants.get(i), readings.get(i), adjusted[i]));
        }
        AnalysisPlan plan = experiment.plan();
        String sampleNote = sampleNote(plan, observed);
        return new ResultsView(
                experiment.id(),
                experiment.state(),
                experiment.targetMetric(),
                control,
                Instant.now(clock),
                variantViews,
                comparisons,
                SampleRatioMismatch.test(observed, shares),
                guardrails,
                plan.analysisKind().wire(),
                plan.analysisKind().meaning(),
                plan.correctionKind().wire(),
                plan.preExposure(),
                plan.plannedUsersPerVariant(),
                sampleNote != null,
                sampleNote);
    }

    /** [start − preExposure, start); empty when there is no start or no window. */
    static Instant[] preExposureWindow(Instant startedAt, AnalysisPlan plan) {
        if (startedAt == null) {
            return new Instant[] {Instant.EPOCH, Instant.EPOCH};
        }
        return new Instant[] {startedAt.minus(plan.preExposureWindow()), startedAt};
    }

    /** Says that the results are read before the planned sample, or null. */
    static String sampleNote(AnalysisPlan plan, Map<String, Long> usersByVariant) {
        Long planned = plan.plannedUsersPerVariant();
        if (planned == null || usersByVariant.isEmpty()) {
            return null;
        }
        long fewest = usersByVariant.values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElse(0);
        if (fewest >= planned) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "Read early: the smallest variant has %,d of the %,d users planned per variant (%.0f %%)%s.",
                fewest,
                planned,
                100.0 * fewest / planned,
                plan.analysisKind() == Analysis.SEQUENTIAL
                        ? "; the sequential intervals stay valid"
                        : "; fixed-horizon intervals are only valid at the planned size");
    }

    /** One treatment against the control on one per-user or rate metric. */
    static ResultsView.Comparison comparison(String variant, ComparisonAnalysis.Reading r, double adjustedP) {
        RelativeLift lift = r.fixed();
        Cuped.Adjusted a = r.adjusted();
        ResultsView.CupedFigures cuped = null;
        if (a != null) {
            RelativeLift al = a.lift();
            cuped = new ResultsView.CupedFigures(
                    finite(al.lift()),
                    finite(al.low(CONFIDENCE)),
                    finite(al.high(CONFIDENCE)),
                    finite(al.pValue(0)),
                    finite(a.varianceReduction()));
        }
        SequentialLift s = r.sequential();
        ResultsView.SequentialFigures sequential = new ResultsView.SequentialFigures(
                finite(s.lift()),
                finite(s.low(CONFIDENCE)),
                finite(s.high(CONFIDENCE)),
                finite(s.pValue(0)),
                a != null);
        double p = r.fixedPValue();
        return new ResultsView.Comparison(
                variant,
                r.metric().wire(),
                finite(r.control()),
                finite(r.treatment()),
                finite(lift.lift()),
                finite(lift.low(CONFIDENCE)),
                finite(lift.high(CONFIDENCE)),
                finite(p),
                p < SIGNIFICANCE,
                cuped,
                sequential,
                finite(r.inForcePValue()),
                finite(adjustedP),
                adjustedP < SIGNIFICANCE);
    }

    private GuardrailStatus guardrail(
            ComparisonAnalysis analysis,
            Map<RolloutMetric, ComparisonAnalysis.Reading> readings,
            Guardrail rule,
            String variant,
            String control,
            UserMoments c,
            UserMoments t,
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
            return GuardrailCheck.relativeDrop(
                    variant,
                    control,
                    metric.wire(),
                    rule.maxRelativeDrop(),
                    alpha,
                    c.n(),
                    t.n(),
                    analysis.decision(readings.get(metric), alpha),
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

    /** A variant's row of the moments query. */
    private static UserMoments moments(ResultSet rs) throws SQLException {
        return moments(rs, UserColumns.SIZE);
    }

    /** A row of {@link UserColumns#momentsSelect(int)} over {@code k} columns. */
    static UserMoments moments(ResultSet rs, int k) throws SQLException {
        double[] means = new double[k];
        double[] covariance = new double[k * k];
        for (int i = 0; i < k; i++) {
            means[i] = nullable(rs, "m" + i);
            for (int j = i; j < k; j++) {
                double v = UserColumns.NEEDED[i][j] ? nullable(rs, "v" + i + "_" + j) : Double.NaN;
                covariance[i * k + j] = v;
                covariance[j * k + i] = v;
            }
        }
        return new UserMoments(rs.getLong("users"), means, covariance);
    }

    /** SQL NULL (covar_samp of one user) as NaN. */
    private static double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
