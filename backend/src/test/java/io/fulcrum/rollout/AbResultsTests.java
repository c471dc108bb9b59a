package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * {@link AbResults} on a small experiment written with SQL and {@link EventLog}: four control
 * users and three of the treatment "ple", per-user values chosen so that watch time and click rate
 * are the fixtures of {@link RolloutStatisticsTests} (computed there by hand), and every comparison's
 * expected figures are printed by {@code src/test/resources/io/fulcrum/rollout/ab_results_fixture.py}
 * (NumPy and SciPy on the same per-user arrays: Welch's test from SciPy, the delta-method intervals and
 * Deng's ratio variance written out), which a reader can rerun.
 */
@FulcrumSpringTest
class AbResultsTests {

    private static final double EPS = 1e-9;

    private static final String RAMP = "[{\"percent\": 50, \"minDuration\": \"PT1H\"}, {\"percent\": 100}]";
    private static final String GUARDRAILS =
            "[{\"metric\": \"watch_time_per_user\", \"maxRelativeDrop\": 0.02, \"alpha\": 0.05},"
                    + " {\"metric\": \"p99_latency_ms\", \"maxMillis\": 20}]";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog log;

    @Autowired
    AbResults results;

    @Autowired
    MockMvcTester mvc;

    EventFixtures fx;
    String prefix;
    int seq;
    List<EventRecord> events;

    @BeforeEach
    void setUp() {
        fx = new EventFixtures(jdbc);
        prefix = "r-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        events = new ArrayList<>();
    }

    /** One user of a variant: a ranking request, then the events its feed produced. */
    private final class User {
        final String id;
        final UUID request;

        User(long experiment, String variant, String id, int latencyMicros) {
            this.id = prefix + id;
            this.request = fx.rankRequest(experiment, variant, this.id, latencyMicros);
        }

        User times(EventType type, int n) {
            for (int i = 0; i < n; i++) {
                add(type, null);
            }
            return this;
        }

        User with(EventType type, double... values) {
            for (double v : values) {
                add(type, v);
            }
            return this;
        }

        void add(EventType type, Double value) {
            events.add(new EventRecord(prefix + seq++, type, id, "v-1", request, value, Instant.now()));
        }
    }

    /**
     * Per user (control c1..c4 | ple p1..p3):
     *
     * <pre>
     *   exposures   2 1 4 3 | 3 2 4
     *   clicks      1 0 2 1 | 2 1 3
     *   plays       1 0 1 2 | 2 1 1
     *   watch s     1 2 3 4 | 2 4 6     (c2 as 0.5 + 1.5, p3 as 2.5 + 3.5)
     *   completion  .5 – (1, .5) .25 | 1 (.5, .5) –
     *   shares      0 0 1 0 | 1 0 0
     *   request ms  1 2 3 4 | 5 6 30
     * </pre>
     */
    private long smallExperiment() {
        long experiment = fx.experiment("RUNNING", RAMP, 0, GUARDRAILS, List.of("control", "ple"), List.of(5000, 5000));
        User c1 = new User(experiment, "control", "c1", 1000)
                .times(EventType.EXPOSURE, 2)
                .times(EventType.CLICK, 1);
        c1.times(EventType.PLAY, 1).with(EventType.WATCH_TIME, 1).with(EventType.COMPLETION, 0.5);
        User c2 = new User(experiment, "control", "c2", 2000).times(EventType.EXPOSURE, 1);
        c2.with(EventType.WATCH_TIME, 0.5, 1.5);
        User c3 = new User(experiment, "control", "c3", 3000)
                .times(EventType.EXPOSURE, 4)
                .times(EventType.CLICK, 2);
        c3.times(EventType.PLAY, 1).with(EventType.WATCH_TIME, 3).with(EventType.COMPLETION, 1, 0.5);
        c3.times(EventType.SHARE, 1);
        User c4 = new User(experiment, "control", "c4", 4000)
                .times(EventType.EXPOSURE, 3)
                .times(EventType.CLICK, 1);
        c4.times(EventType.PLAY, 2).with(EventType.WATCH_TIME, 4).with(EventType.COMPLETION, 0.25);
        User p1 = new User(experiment, "ple", "p1", 5000)
                .times(EventType.EXPOSURE, 3)
                .times(EventType.CLICK, 2);
        p1.times(EventType.PLAY, 2)
                .with(EventType.WATCH_TIME, 2)
                .with(EventType.COMPLETION, 1)
                .times(EventType.SHARE, 1);
        User p2 = new User(experiment, "ple", "p2", 6000)
                .times(EventType.EXPOSURE, 2)
                .times(EventType.CLICK, 1);
        p2.times(EventType.PLAY, 1).with(EventType.WATCH_TIME, 4).with(EventType.COMPLETION, 0.5, 0.5);
        User p3 = new User(experiment, "ple", "p3", 30_000)
                .times(EventType.EXPOSURE, 4)
                .times(EventType.CLICK, 3);
        p3.times(EventType.PLAY, 1).with(EventType.WATCH_TIME, 2.5, 3.5);

        // Events that must not count: a user of the control's request without an exposure, an exposure
        // without a request, and an exposure of another experiment.
        events.add(
                new EventRecord(prefix + "x1", EventType.CLICK, prefix + "c5", null, c1.request, null, Instant.now()));
        events.add(new EventRecord(prefix + "x2", EventType.EXPOSURE, c1.id, null, null, null, Instant.now()));
        long other = fx.experiment("RUNNING", "[]", 0, "[]", List.of("control", "ple"), List.of(5000, 5000));
        UUID elsewhere = fx.rankRequest(other, "ple", c1.id, 100);
        events.add(new EventRecord(prefix + "x3", EventType.EXPOSURE, c1.id, null, elsewhere, null, Instant.now()));

        assertThat(log.append(events)).isEqualTo(events.size());
        return experiment;
    }

    @Test
    void variantsMetricsLiftsSrmAndGuardrailsMatchHandComputedValues() {
        long experiment = smallExperiment();

        ResultsView r = results.compute(experiment);

        assertThat(r.experimentId()).isEqualTo(experiment);
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(r.targetMetric()).isEqualTo("watch_time_per_user");
        assertThat(r.control()).isEqualTo("control");

        ResultsView.Variant control = r.variants().get(0);
        assertThat(control.name()).isEqualTo("control");
        assertThat(control.control()).isTrue();
        assertThat(control.modelVersion()).isEqualTo(1);
        assertThat(control.users()).isEqualTo(4);
        assertThat(control.exposures()).isEqualTo(10);
        // 50 % ramp of 5,000 + 5,000 buckets: 2,500 active each.
        assertThat(control.expectedShare()).isEqualTo(0.5);
        Map<String, Double> cm = control.metrics();
        assertThat(cm.get("exposures_per_user")).isCloseTo(2.5, within(EPS));
        assertThat(cm.get("views_per_user")).isCloseTo(1.0, within(EPS));
        assertThat(cm.get("watch_time_per_user")).isCloseTo(2.5, within(EPS));
        assertThat(cm.get("click_rate")).isCloseTo(0.4, within(EPS)); // 4 clicks / 10 exposures
        assertThat(cm.get("play_rate")).isCloseTo(0.4, within(EPS)); // 4 / 10
        assertThat(cm.get("completion_ratio")).isCloseTo(0.5625, within(EPS)); // 2.25 / 4 completions
        assertThat(cm.get("share_rate")).isCloseTo(0.1, within(EPS));
        assertThat(cm.get("comment_rate")).isEqualTo(0.0);
        // percentile_cont(0.99) of 1, 2, 3, 4 ms: 3 + 0.97 · (4 − 3).
        assertThat(cm.get("p99_latency_ms")).isCloseTo(3.97, within(EPS));
        assertThat(cm)
                .containsOnlyKeys(java.util.Arrays.stream(RolloutMetric.values())
                        .map(RolloutMetric::wire)
                        .toList());

        ResultsView.Variant ple = r.variants().get(1);
        assertThat(ple.users()).isEqualTo(3);
        assertThat(ple.exposures()).isEqualTo(9);
        assertThat(ple.metrics().get("watch_time_per_user")).isCloseTo(4.0, within(EPS));
        assertThat(ple.metrics().get("completion_ratio")).isCloseTo(2.0 / 3, within(EPS)); // 2 / 3 completions
        // 5, 6, 30 ms: 6 + 0.98 · 24.
        assertThat(ple.metrics().get("p99_latency_ms")).isCloseTo(29.52, within(EPS));

        Map<String, ResultsView.Comparison> byMetric =
                r.comparisons().stream().collect(Collectors.toMap(ResultsView.Comparison::metric, Function.identity()));
        assertThat(r.comparisons())
                .hasSize(8)
                .allSatisfy(c -> assertThat(c.variant()).isEqualTo("ple"));
        assertThat(byMetric).doesNotContainKey("p99_latency_ms");
        // Welch and the lift of RolloutStatisticsTests' per-user fixture.
        expect(
                byMetric.get("watch_time_per_user"),
                2.5,
                4.0,
                0.6,
                -0.43711545634724547,
                1.6371154563472456,
                0.33382370007750106,
                false);
        // Deng's ratio of RolloutStatisticsTests' click fixture: z 2.7434, p 0.00608.
        expect(
                byMetric.get("click_rate"),
                0.4,
                2.0 / 3,
                2.0 / 3,
                0.19037727925222475,
                1.1429560540811083,
                0.006081031750792987,
                true);
        // ab_results_fixture.py on the per-user arrays above, in its order.
        expect(
                byMetric.get("exposures_per_user"),
                2.5,
                3.0,
                0.2,
                -0.47895144044570304,
                0.878951440445703,
                0.5889215492858255,
                false);
        expect(
                byMetric.get("views_per_user"),
                1.0,
                4.0 / 3,
                1.0 / 3,
                -0.6996583871742694,
                1.366325053840936,
                0.5548782830563701,
                false);
        expect(
                byMetric.get("play_rate"),
                0.4,
                4.0 / 9,
                1.0 / 9,
                -0.8142020446806825,
                1.0364242669029045,
                0.8139359791792049,
                false);
        expect(
                byMetric.get("completion_ratio"),
                0.5625,
                2.0 / 3,
                0.18518518518518512,
                -0.6482981932366089,
                1.0186685636069792,
                0.6632219312021201,
                false);
        expect(
                byMetric.get("share_rate"),
                0.1,
                1.0 / 9,
                1.0 / 9,
                -2.623694914124184,
                2.845917136346406,
                0.9365311934932905,
                false);
        // No comments anywhere: 0 vs 0 has no lift.
        ResultsView.Comparison comments = byMetric.get("comment_rate");
        assertThat(comments.control()).isEqualTo(0.0);
        assertThat(comments.lift()).isNull();
        assertThat(comments.ciLow()).isNull();
        assertThat(comments.pValue()).isNull();
        assertThat(comments.significant()).isFalse();

        // 4 vs 3 users at 50/50: χ² = 2 · 0.5² / 3.5 = 0.142857…, p 0.7054569861112734.
        assertThat(r.srm().observed()).containsExactly(Map.entry("control", 4L), Map.entry("ple", 3L));
        assertThat(r.srm().expected()).containsEntry("control", 3.5).containsEntry("ple", 3.5);
        assertThat(r.srm().chiSquare()).isCloseTo(1.0 / 7, within(EPS));
        assertThat(r.srm().pValue()).isCloseTo(0.7054569861112734, within(EPS));
        assertThat(r.srm().mismatch()).isFalse();

        // Three users and three requests: no guardrail can be breached yet.
        assertThat(r.guardrails()).hasSize(2);
        GuardrailStatus watch = r.guardrails().get(0);
        assertThat(watch.variant()).isEqualTo("ple");
        assertThat(watch.metric()).isEqualTo("watch_time_per_user");
        assertThat(watch.rule()).isEqualTo("maxRelativeDrop");
        assertThat(watch.threshold()).isEqualTo(0.02);
        assertThat(watch.observed()).isCloseTo(0.6, within(EPS));
        assertThat(watch.breached()).isFalse();
        assertThat(watch.explanation()).contains("not enough data");
        GuardrailStatus latency = r.guardrails().get(1);
        assertThat(latency.metric()).isEqualTo("p99_latency_ms");
        assertThat(latency.rule()).isEqualTo("maxMillis");
        assertThat(latency.threshold()).isEqualTo(20.0);
        assertThat(latency.observed()).isCloseTo(29.52, within(EPS));
        assertThat(latency.breached()).isFalse();
        assertThat(latency.explanation()).contains("not enough data");
        assertThat(r.breaches()).isEmpty();
    }

    private static void expect(
            ResultsView.Comparison c,
            double control,
            double treatment,
            double lift,
            double low,
            double high,
            double p,
            boolean significant) {
        assertThat(c.control()).as(c.metric()).isCloseTo(control, within(EPS));
        assertThat(c.treatment()).as(c.metric()).isCloseTo(treatment, within(EPS));
        assertThat(c.lift()).as(c.metric()).isCloseTo(lift, within(EPS));
        assertThat(c.ciLow()).as(c.metric()).isCloseTo(low, within(EPS));
        assertThat(c.ciHigh()).as(c.metric()).isCloseTo(high, within(EPS));
        assertThat(c.pValue()).as(c.metric()).isCloseTo(p, within(EPS));
        assertThat(c.significant()).as(c.metric()).isEqualTo(significant);
    }

    @Test
    void theEndpointAnswersTheSharedJsonContract() {
        long experiment = smallExperiment();

        MvcTestResult result =
                mvc.get().uri("/api/ab-experiments/{id}/results", experiment).exchange();

        assertThat(result).hasStatusOk();
        var json = assertThat(result).bodyJson();
        json.extractingPath("$.experimentId").isEqualTo((int) experiment);
        json.extractingPath("$.state").isEqualTo("RUNNING");
        json.extractingPath("$.targetMetric").isEqualTo("watch_time_per_user");
        json.extractingPath("$.control").isEqualTo("control");
        json.extractingPath("$.computedAt").isNotNull();
        json.extractingPath("$.variants[1].name").isEqualTo("ple");
        json.extractingPath("$.variants[1].control").isEqualTo(false);
        json.extractingPath("$.variants[1].modelVersion").isEqualTo(2);
        json.extractingPath("$.variants[1].users").isEqualTo(3);
        json.extractingPath("$.variants[1].exposures").isEqualTo(9);
        json.extractingPath("$.variants[1].expectedShare").isEqualTo(0.5);
        json.extractingPath("$.variants[1].metrics.watch_time_per_user").isEqualTo(4.0);
        json.extractingPath("$.comparisons[2].variant").isEqualTo("ple");
        json.extractingPath("$.comparisons[2].metric").isEqualTo("exposures_per_user");
        json.extractingPath("$.comparisons[2].control").isEqualTo(2.5);
        json.extractingPath("$.comparisons[2].treatment").isEqualTo(3.0);
        json.extractingPath("$.comparisons[2].significant").isEqualTo(false);
        json.extractingPath("$.comparisons[7].metric").isEqualTo("comment_rate");
        // Undefined figures are null, not left out, so that a client can rely on the shape.
        json.hasPathSatisfying("$.comparisons[7].lift", v -> v.assertThat().isNull());
        json.hasPathSatisfying("$.comparisons[0].ciLow", v -> v.assertThat().isNotNull());
        json.hasPathSatisfying("$.comparisons[0].ciHigh", v -> v.assertThat().isNotNull());
        json.hasPathSatisfying("$.comparisons[0].pValue", v -> v.assertThat().isNotNull());
        json.extractingPath("$.srm.mismatch").isEqualTo(false);
        json.extractingPath("$.srm.observed.ple").isEqualTo(3);
        json.extractingPath("$.srm.expected.ple").isEqualTo(3.5);
        json.hasPathSatisfying("$.srm.chiSquare", v -> v.assertThat().isNotNull());
        json.hasPathSatisfying("$.srm.pValue", v -> v.assertThat().isNotNull());
        json.extractingPath("$.guardrails[0].variant").isEqualTo("ple");
        json.extractingPath("$.guardrails[0].metric").isEqualTo("watch_time_per_user");
        json.extractingPath("$.guardrails[0].rule").isEqualTo("maxRelativeDrop");
        json.extractingPath("$.guardrails[0].threshold").isEqualTo(0.02);
        json.extractingPath("$.guardrails[0].breached").isEqualTo(false);
        json.hasPathSatisfying("$.guardrails[0].pValue", v -> v.assertThat().isNull());
        json.hasPathSatisfying("$.guardrails[0].observed", v -> v.assertThat().isNotNull());
        json.hasPathSatisfying(
                "$.guardrails[0].explanation", v -> v.assertThat().isNotNull());
        json.doesNotHavePath("$.breaches");
    }

    @Test
    void aThousandAgainstEightHundredUsersAtFiftyFiftyIsAMismatch() {
        // Ramp step 10 % of 5,000 + 5,000: 500 active buckets each, so 50/50 expected.
        long experiment = fx.experiment(
                "RUNNING", "[{\"percent\": 10}]", 0, "[]", List.of("control", "ple"), List.of(5000, 5000));
        exposures(experiment, "control", 1000);
        exposures(experiment, "ple", 800);

        SampleRatioMismatch srm = results.compute(experiment).srm();

        assertThat(srm.observed()).containsEntry("control", 1000L).containsEntry("ple", 800L);
        assertThat(srm.chiSquare()).isCloseTo(200.0 / 9, within(EPS));
        assertThat(srm.mismatch()).isTrue();

        exposures(experiment, "ple", 190);
        assertThat(results.compute(experiment).srm().mismatch()).isFalse();
    }

    /** {@code users} new users of the variant with one exposure each, their requests made in SQL. */
    private void exposures(long experiment, String variant, int users) {
        List<Map<String, Object>> requests = jdbc.queryForList(
                "INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,"
                        + " model_version, candidates, returned, oov_values, latency_micros, created_at)"
                        + " SELECT gen_random_uuid(), e.surface_id, e.id, ?, ? || gen_random_uuid(), 'video', 1, 10, 10, 0,"
                        + " 1000, now() FROM ab_experiment e, generate_series(1, ?) WHERE e.id = ?"
                        + " RETURNING request_id, user_id",
                variant,
                prefix,
                users,
                experiment);
        List<EventRecord> batch = new ArrayList<>();
        for (Map<String, Object> r : requests) {
            batch.add(new EventRecord(
                    prefix + seq++,
                    EventType.EXPOSURE,
                    (String) r.get("user_id"),
                    null,
                    (UUID) r.get("request_id"),
                    null,
                    Instant.now()));
        }
        log.append(batch);
    }

    @Test
    void unknownExperimentsAre404AndDraftsAre409() {
        long draft = fx.experiment("DRAFT", "[]", 0, "[]", List.of("control", "ple"), List.of(5000, 5000));

        assertThatThrownBy(() -> results.compute(draft)).isInstanceOf(ConflictException.class);
        assertThat(mvc.get().uri("/api/ab-experiments/{id}/results", draft).exchange())
                .hasStatus(HttpStatus.CONFLICT)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("has not started");
        assertThatThrownBy(() -> results.compute(Long.MAX_VALUE)).isInstanceOf(NotFoundException.class);
        assertThat(mvc.get()
                        .uri("/api/ab-experiments/{id}/results", Long.MAX_VALUE)
                        .exchange())
                .hasStatus(HttpStatus.NOT_FOUND);
    }

    @Test
    void anExperimentWithoutEventsHasEmptyResultsNotErrors() {
        long experiment = fx.experiment("RUNNING", "[]", 0, GUARDRAILS, List.of("control", "ple"), List.of(3000, 7000));

        ResultsView r = results.compute(experiment);

        assertThat(r.variants()).extracting(ResultsView.Variant::users).containsExactly(0L, 0L);
        assertThat(r.variants()).extracting(ResultsView.Variant::expectedShare).containsExactly(0.3, 0.7);
        assertThat(r.variants().get(0).metrics().get("watch_time_per_user")).isNull();
        assertThat(r.comparisons())
                .hasSize(8)
                .allSatisfy(c -> assertThat(c.pValue()).isNull());
        assertThat(r.srm().mismatch()).isFalse();
        assertThat(r.guardrails())
                .hasSize(2)
                .noneSatisfy(g -> assertThat(g.breached()).isTrue());
    }

    @Test
    void eventsAndResultsAreDocumentedWithOpenApi() {
        MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();

        assertThat(result).hasStatusOk();
        var json = assertThat(result).bodyJson();
        json.extractingPath("$.paths['/api/events'].post.requestBody.content['application/json'].schema.$ref")
                .asString()
                .endsWith("/EventBatch");
        json.extractingPath("$.components.schemas.Event.properties.occurredAt.description")
                .asString()
                .contains("30 days");
        json.extractingPath("$.paths['/api/ab-experiments/{id}/results'].get.description")
                .asString()
                .contains("409 for a DRAFT");
        json.extractingPath("$.components.schemas.AbExperimentResults.properties")
                .asMap()
                .containsOnlyKeys(
                        "experimentId",
                        "state",
                        "targetMetric",
                        "control",
                        "computedAt",
                        "variants",
                        "comparisons",
                        "srm",
                        "guardrails",
                        "analysis",
                        "analysisMeaning",
                        "correction",
                        "preExposure",
                        "plannedUsersPerVariant",
                        "beforePlannedSample",
                        "sampleNote");
        json.extractingPath("$.components.schemas.GuardrailStatus.properties")
                .asMap()
                .containsOnlyKeys(
                        "variant", "metric", "rule", "threshold", "observed", "pValue", "breached", "explanation");
    }
}
