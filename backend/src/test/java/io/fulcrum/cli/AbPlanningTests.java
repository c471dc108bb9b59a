package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.system.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AbPlanningTests {

    private static JsonNode results(String comparisons) {
        return Json.MAPPER.readTree("{\"comparisons\": [" + comparisons + "]}");
    }

    @Test
    void readsFractionsAndPercentsInTheOrderGiven() {
        Map<String, Double> lifts = AbPlanning.parse("views_per_user=0.005, watch_time_per_user=-1.5%");

        assertThat(lifts.keySet()).containsExactly("views_per_user", "watch_time_per_user");
        assertThat(lifts.get("views_per_user")).isEqualTo(0.005);
        assertThat(lifts.get("watch_time_per_user")).isCloseTo(-0.015, within(1e-15));
        assertThat(AbPlanning.parse(null)).isEmpty();
    }

    @Test
    void refusesWhatItCannotCheckBeforeAnyTrafficIsSent() {
        assertThatThrownBy(() -> AbPlanning.parse("views=0.01"))
                .hasMessageContaining("'views' is not a per-user or rate metric")
                .hasMessageContaining("views_per_user");
        assertThatThrownBy(() -> AbPlanning.parse("p99_latency_ms=0.01")).hasMessageContaining("p99_latency_ms");
        assertThatThrownBy(() -> AbPlanning.parse("views_per_user")).hasMessageContaining("METRIC=LIFT");
        assertThatThrownBy(() -> AbPlanning.parse("views_per_user=lots")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> AbPlanning.parse("views_per_user=1%,views_per_user=2%"))
                .hasMessageContaining("given twice");
    }

    @Test
    void scalesTheUsersSoThatTheExpectedLiftIsThreeStandardErrors() {
        // An interval of ±1.96 % is a standard error of 1 %; a lift of 0.5 % is 0.5 of them, and
        // three of them need (3 / 0.5)² = 36 times the users: 144,000 for a test of 4,000 users.
        JsonNode results = results("""
                {"variant": "ple", "metric": "views_per_user", "lift": 0.003,
                 "ciLow": -0.0166, "ciHigh": 0.0226},
                {"variant": "ple", "metric": "watch_time_per_user", "lift": -0.04,
                 "ciLow": -0.07, "ciHigh": -0.01}
                """);

        List<AbPlanning.Metric> metrics =
                AbPlanning.assess(Map.of("views_per_user", 0.005, "watch_time_per_user", 0.0), results, 4000, 180);
        AbPlanning.Metric views = metrics.stream()
                .filter(m -> m.metric().equals("views_per_user"))
                .findFirst()
                .orElseThrow();
        AbPlanning.Metric watch = metrics.stream()
                .filter(m -> m.metric().equals("watch_time_per_user"))
                .findFirst()
                .orElseThrow();

        assertThat(views.standardError()).isCloseTo(0.0196 / 1.959963984540054, within(1e-12));
        assertThat(views.usersNeeded()).isBetween(143_990L, 144_010L);
        assertThat(views.hoursNeeded()).isCloseTo(180.0 * views.usersNeeded() / 4000 / 3600, within(1e-9));
        assertThat(views.containsExpected()).isTrue();
        assertThat(views.excludesZero()).isFalse();

        assertThat(watch.containsExpected()).isFalse();
        assertThat(watch.excludesZero()).isTrue();
        assertThat(watch.usersNeeded()).isNull();
        assertThat(watch.hoursNeeded()).isNull();
    }

    @Test
    void needsOneComparisonWithAnIntervalPerMetric() {
        JsonNode two = results("""
                {"variant": "a", "metric": "views_per_user", "lift": 0, "ciLow": -0.1, "ciHigh": 0.1},
                {"variant": "b", "metric": "views_per_user", "lift": 0, "ciLow": -0.1, "ciHigh": 0.1}
                """);
        JsonNode none =
                results("{\"variant\": \"a\", \"metric\": \"views_per_user\", \"lift\": null, \"ciLow\": null}");

        assertThatThrownBy(() -> AbPlanning.assess(Map.of("views_per_user", 0.01), two, 100, 1))
                .hasMessageContaining("one treatment");
        assertThatThrownBy(() -> AbPlanning.assess(Map.of("views_per_user", 0.01), none, 100, 1))
                .hasMessageContaining("no interval for views_per_user");
        assertThatThrownBy(() -> AbPlanning.assess(Map.of("click_rate", 0.01), two, 100, 1))
                .hasMessageContaining("no interval for click_rate");
    }
}
