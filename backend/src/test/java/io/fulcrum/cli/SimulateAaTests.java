package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.simulator.SimulationRandom;
import io.fulcrum.system.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code simulate-aa} on a small run: what it reports, and the orderings every run must keep. */
class SimulateAaTests {

    private static final String[] METRICS = {"views_per_user", "watch_time_per_user", "click_rate", "completion_ratio"};

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FulcrumCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode reading(JsonNode report, String name) {
        for (JsonNode r : report.path("readings")) {
            if (r.path("name").asString().equals(name)) {
                return r.path("metrics");
            }
        }
        throw new AssertionError("no reading " + name);
    }

    @Test
    void anAaRunReportsEveryReadingAndKeepsItsOrderings() {
        Run run = run("simulate-aa", "--repeats", "60", "--users", "600", "--looks", "10", "--format", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertThat(report.path("measures").asString()).isEqualTo("falsePositiveRate");
        assertThat(report.path("readings")).hasSize(6);
        for (String m : METRICS) {
            long once = reading(report, "fixed, read once")
                    .path(m)
                    .path("falsePositiveRate")
                    .path("count")
                    .asLong();
            long peeked = reading(report, "fixed, peeked at every look")
                    .path(m)
                    .path("falsePositiveRate")
                    .path("count")
                    .asLong();
            long sequential = reading(report, "sequential, peeked at every look")
                    .path(m)
                    .path("falsePositiveRate")
                    .path("count")
                    .asLong();
            // peeking reads the final look too, so it calls at least every repeat that reading once calls
            assertThat(peeked).isGreaterThanOrEqualTo(once);
            // the always-valid interval contains the fixed one at every look
            assertThat(sequential).isLessThanOrEqualTo(peeked);
            double fixedWidth = reading(report, "fixed, read once")
                    .path(m)
                    .path("medianWidth")
                    .asDouble();
            double sequentialWidth = reading(report, "sequential, peeked at every look")
                    .path(m)
                    .path("medianWidth")
                    .asDouble();
            assertThat(sequentialWidth).isGreaterThan(fixedWidth);
        }
        // the pre-exposure window predicts views and watch time (active users stay active): CUPED narrows
        for (String m : new String[] {"views_per_user", "watch_time_per_user"}) {
            assertThat(reading(report, "fixed, read once, CUPED")
                            .path(m)
                            .path("medianWidth")
                            .asDouble())
                    .isLessThan(0.8
                            * reading(report, "fixed, read once")
                                    .path(m)
                                    .path("medianWidth")
                                    .asDouble());
        }
        assertThat(report.path("anyMetricFixedOnceHolm").path("count").asLong())
                .isLessThanOrEqualTo(
                        report.path("anyMetricFixedOnce").path("count").asLong());
    }

    @Test
    void aTrueLiftIsFoundMoreOftenWithCuped() {
        Run run = run("simulate-aa", "--repeats", "40", "--users", "600", "--true-lift", "30%", "--format", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertThat(report.path("measures").asString()).isEqualTo("power");
        assertThat(report.path("trueLift").asDouble()).isCloseTo(0.3, within(1e-12));
        long plain = reading(report, "fixed, read once")
                .path("views_per_user")
                .path("power")
                .path("count")
                .asLong();
        long cuped = reading(report, "fixed, read once, CUPED")
                .path("views_per_user")
                .path("power")
                .path("count")
                .asLong();
        assertThat(cuped).isGreaterThan(plain);
    }

    @Test
    void theTableNamesTheAnalysesAndTheFamilyRate() {
        Run run = run("simulate-aa", "--repeats", "8", "--users", "200");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("false-positive rate")
                .contains("sequential, peeked, CUPED")
                .contains("any of the 4 metrics called, fixed once");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("simulate-aa", "--true-lift", "150%").code()).isEqualTo(2);
        assertThat(run("simulate-aa", "--true-lift", "two").err()).contains("--true-lift");
        assertThat(run("simulate-aa", "--pre-days", "91").err()).contains("at most 90");
        assertThat(run("simulate-aa", "--repeats", "0").code()).isEqualTo(2);
    }

    @Test
    void wilsonIntervalMatchesItsFormula() {
        // k = 25 of n = 500, z = 1.959964: centre (0.05 + z²/1000) / (1 + z²/500) = 0.053431,
        // half z / (1 + z²/500) · √(0.05 · 0.95 / 500 + z² / 10⁶) = 0.019337: 0.034094 … 0.072768
        double[] ci = SimulateAa.wilson(25, 500);
        assertThat(ci[0]).isCloseTo(0.034094, within(1e-6));
        assertThat(ci[1]).isCloseTo(0.072768, within(1e-6));
    }

    @Test
    void poissonSessionsHaveTheirMean() {
        SimulationRandom random = new SimulationRandom(7, 1);
        long sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += AaSimulation.poisson(1.5, random);
        }
        // the mean of 200,000 draws has a standard error of √(1.5 / 200000) = 0.0027
        assertThat((double) sum / n).isCloseTo(1.5, within(0.015));
    }
}
