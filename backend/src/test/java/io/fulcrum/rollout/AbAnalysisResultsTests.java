package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The results of an experiment with an analysis plan, through PostgreSQL: CUPED reads the users'
 * events of the pre-exposure window before the start (and only those), the sequential figures and
 * the correction are computed from them, and a result read before the planned sample says so. The
 * users are the methods brief's CUPED example (§9), so the expected figures are the hand-derived ones
 * of {@link AbAnalysisMethodsTests}.
 */
@FulcrumSpringTest
class AbAnalysisResultsTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog log;

    @Autowired
    AbResults results;

    EventFixtures fx;
    String prefix;
    int seq;
    List<EventRecord> events;

    @BeforeEach
    void setUp() {
        fx = new EventFixtures(jdbc);
        prefix = "a-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        events = new ArrayList<>();
    }

    private long experiment(String plan) {
        long id = fx.experiment("RUNNING", "[]", 0, "[]", List.of("control", "ple"), List.of(5000, 5000));
        jdbc.update("UPDATE ab_experiment SET analysis_plan = ?::jsonb WHERE id = ?", plan, id);
        return id;
    }

    /** A user with one exposure and {@code watch} seconds in the experiment, {@code pre} seconds a day before it. */
    private void user(long experiment, String variant, String name, double pre, double watch) {
        String user = prefix + name;
        UUID request = fx.rankRequest(experiment, variant, user, 1000);
        Instant start =
                jdbc.queryForObject("SELECT started_at FROM ab_experiment WHERE id = ?", Instant.class, experiment);
        events.add(event(EventType.EXPOSURE, user, request, null, Instant.now()));
        events.add(event(EventType.WATCH_TIME, user, request, watch, Instant.now()));
        events.add(event(EventType.WATCH_TIME, user, null, pre, start.minus(Duration.ofDays(1))));
        // outside the 14-day window: must not count, or θ and every adjusted figure change
        events.add(event(EventType.WATCH_TIME, user, null, 100.0, start.minus(Duration.ofDays(20))));
    }

    private EventRecord event(EventType type, String user, UUID request, Double value, Instant at) {
        return new EventRecord(prefix + seq++, type, user, "v-1", request, value, at);
    }

    private long briefExample(String plan) {
        long id = experiment(plan);
        user(id, "control", "c1", 1, 2);
        user(id, "control", "c2", 2, 3);
        user(id, "control", "c3", 3, 5);
        user(id, "ple", "p1", 2, 4);
        user(id, "ple", "p2", 3, 5);
        user(id, "ple", "p3", 4, 7);
        assertThat(log.append(events)).isEqualTo(events.size());
        return id;
    }

    private static ResultsView.Comparison watch(ResultsView r) {
        return r.comparisons().stream()
                .filter(c -> c.metric().equals("watch_time_per_user"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void cupedAdjustsByThePreExposureWindowAndTheSequentialFiguresWidenIt() {
        long id = briefExample("{\"analysis\": \"sequential\", \"correction\": \"holm\", \"preExposure\": \"P14D\","
                + " \"plannedUsersPerVariant\": 10}");

        ResultsView r = results.compute(id);
        ResultsView.Comparison w = watch(r);

        // unadjusted: (16/3) / (10/3) − 1 = 0.6
        assertThat(w.lift()).isCloseTo(0.6, within(1e-9));
        // CUPED (AbAnalysisMethodsTests): Δ_cv = 4/11 over the centred control 10/3 + 9/11 = 4.151515:
        // lift 0.087591, se 0.260681 / 4.151515 = 0.062791, 95 % interval −0.035476 … 0.210659;
        // variance reduction 1 − 0.101928 / (7/3) = 0.956316.
        assertThat(w.cuped().lift()).isCloseTo(0.087591, within(1e-6));
        assertThat(w.cuped().ciLow()).isCloseTo(-0.035476, within(1e-6));
        assertThat(w.cuped().ciHigh()).isCloseTo(0.210659, within(1e-6));
        assertThat(w.cuped().varianceReduction()).isCloseTo(0.956316, within(1e-6));
        // sequential on the CUPED lift, planned 2 · 10 = 20 users: ρ² = 7.936154 / 20 = 0.396808, at N = 6
        // Nρ² = 2.380846, width factor √(2 · 3.380846 / 2.380846 · ln(√3.380846 / 0.05)) = 3.199649:
        // −0.113317 … 0.288499; p = √3.380846 · e^{−1.394972² · 2.380846 / 6.761692} = 0.926705
        assertThat(w.sequential().cuped()).isTrue();
        assertThat(w.sequential().ciLow()).isCloseTo(-0.113317, within(1e-6));
        assertThat(w.sequential().ciHigh()).isCloseTo(0.288499, within(1e-6));
        assertThat(w.sequential().pValue()).isCloseTo(0.926705, within(1e-6));
        assertThat(w.analysisPValue()).isEqualTo(w.sequential().pValue());

        // Holm over the in-force p-values of all eight comparisons, in their order
        double[] raw = r.comparisons().stream()
                .mapToDouble(c -> c.analysisPValue() == null ? Double.NaN : c.analysisPValue())
                .toArray();
        double[] holm = Correction.HOLM.adjust(raw);
        for (int i = 0; i < raw.length; i++) {
            ResultsView.Comparison c = r.comparisons().get(i);
            if (Double.isNaN(raw[i])) {
                assertThat(c.adjustedPValue()).isNull();
            } else {
                assertThat(c.adjustedPValue()).isCloseTo(holm[i], within(1e-12));
                assertThat(c.adjustedPValue()).isGreaterThanOrEqualTo(c.analysisPValue());
                assertThat(c.significantAfterCorrection()).isEqualTo(holm[i] < 0.05);
            }
        }

        assertThat(r.analysis()).isEqualTo("sequential");
        assertThat(r.analysisMeaning()).startsWith("Sequential analysis: always-valid");
        assertThat(r.correction()).isEqualTo("holm");
        assertThat(r.beforePlannedSample()).isTrue();
        assertThat(r.sampleNote()).contains("3 of the 10 users planned per variant (30 %)");
    }

    @Test
    void withoutAWindowThereIsNoCupedAndAFixedAnalysisReadsTheUnadjustedTest() {
        long id = briefExample("{\"analysis\": \"fixed\", \"correction\": \"none\", \"preExposure\": \"P0D\","
                + " \"plannedUsersPerVariant\": null}");

        ResultsView r = results.compute(id);
        ResultsView.Comparison w = watch(r);

        assertThat(w.cuped()).isNull();
        assertThat(w.sequential().cuped()).isFalse();
        assertThat(w.analysisPValue()).isEqualTo(w.pValue());
        assertThat(w.adjustedPValue()).isEqualTo(w.pValue());
        assertThat(r.analysis()).isEqualTo("fixed");
        assertThat(r.beforePlannedSample()).isFalse();
        assertThat(r.sampleNote()).isNull();
    }

    /** 120 users a variant, watch 10 + i % 5 s in the control and 0.5 s less in the treatment (−4.2 %). */
    private long dropExperiment(String analysis) {
        long id = fx.experiment(
                "RUNNING",
                "[]",
                0,
                "[{\"metric\": \"watch_time_per_user\", \"maxRelativeDrop\": 0, \"alpha\": 0.05}]",
                List.of("control", "ple"),
                List.of(5000, 5000));
        jdbc.update(
                "UPDATE ab_experiment SET analysis_plan = ?::jsonb WHERE id = ?",
                "{\"analysis\": \"" + analysis + "\", \"correction\": \"holm\", \"preExposure\": \"P0D\","
                        + " \"plannedUsersPerVariant\": null}",
                id);
        for (int i = 0; i < 120; i++) {
            for (String variant : List.of("control", "ple")) {
                String user = prefix + variant + i;
                UUID request = fx.rankRequest(id, variant, user, 1000);
                double watch = 10 + i % 5 - (variant.equals("ple") ? 0.5 : 0);
                events.add(event(EventType.EXPOSURE, user, request, null, Instant.now()));
                events.add(event(EventType.WATCH_TIME, user, request, watch, Instant.now()));
            }
        }
        assertThat(log.append(events)).isEqualTo(events.size());
        events.clear();
        return id;
    }

    @Test
    void guardrailsReadTheIntervalOfTheAnalysisInForce() {
        // lift −0.5/12 = −0.041667; s² = 2.016807 per variant, se = √(2 · 2.016807 / 120) / 12 = 0.015278.
        // Fixed: upper end −0.041667 + 1.959964 · 0.015278 = −0.011723 < 0: breached.
        // Sequential, planned 5,000 (the default): N = 240, Nρ² = 240 · 7.936154 / 5000 = 0.380935,
        // factor √(2 · 1.380935 / 0.380935 · ln(√1.380935 / 0.05)) = 4.784, upper end +0.031 > 0: holds.
        GuardrailStatus fixed =
                results.compute(dropExperiment("fixed")).guardrails().get(0);
        GuardrailStatus sequential =
                results.compute(dropExperiment("sequential")).guardrails().get(0);

        assertThat(fixed.breached()).isTrue();
        assertThat(fixed.explanation()).contains("(95 % CI −7.2 % … −1.2 %)");
        assertThat(sequential.breached()).isFalse();
        assertThat(sequential.explanation()).contains("always-valid CI");
    }

    @Test
    void aFixedAnalysisWithCupedReadsTheAdjustedZTest() {
        long id = briefExample("{\"analysis\": \"fixed\", \"correction\": \"benjamini-hochberg\","
                + " \"preExposure\": \"P14D\", \"plannedUsersPerVariant\": 3}");

        ResultsView.Comparison w = watch(results.compute(id));

        // z = 0.087591 / 0.062791 = 1.394972, two-sided p = 0.163024
        assertThat(w.analysisPValue()).isCloseTo(0.163024, within(1e-6));
        assertThat(w.cuped().pValue()).isEqualTo(w.analysisPValue());
        assertThat(results.compute(id).beforePlannedSample()).isFalse();
    }
}
