package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.mtl.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FulcrumCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return FulcrumCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void handlesOnlyItsCommands() {
        assertThat(FulcrumCli.handles("reproduce")).isTrue();
        assertThat(FulcrumCli.handles("bench")).isTrue();
        assertThat(FulcrumCli.handles("server")).isFalse();
        assertThat(FulcrumCli.handles(null)).isFalse();
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() {
        assertThat(run("reproduce", "synthetic", "--models", "ple,foo")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--models: unknown 'foo'");
        assertThat(run("reproduce", "synthetic", "--format", "xml")).isEqualTo(2);
        assertThat(run("reproduce", "synthetic", "--weight-decay", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("weightDecay: must be >= 0");
        assertThat(run("bench", "nothing")).isEqualTo(2);
        assertThat(run("bench", "rank", "--candidates", "0")).isEqualTo(2);
        assertThat(run("bench", "assign", "--users", "many")).isEqualTo(2);
    }

    @Test
    void reproduceSyntheticPrintsTheSharedJsonShape() {
        int code = run(
                "reproduce",
                "synthetic",
                "--correlations",
                "0.5,1.0",
                "--models",
                "single,ple",
                "--seeds",
                "2",
                "--samples",
                "400",
                "--epochs",
                "2",
                "--dimension",
                "8",
                "--format",
                "json");
        assertThat(code).isEqualTo(0);
        JsonNode report = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.get("experiment").asString()).isEqualTo("synthetic");
        assertThat(report.get("settings").get("seeds").asInt()).isEqualTo(2);
        assertThat(report.get("settings").get("weightDecay").asDouble()).isEqualTo(1e-3);
        assertThat(report.get("settings").get("dropout").asDouble()).isEqualTo(0.0);
        JsonNode results = report.get("results");
        assertThat(results).hasSize(4);
        JsonNode single = results.get(0);
        assertThat(single.get("setting").get("correlation").asDouble()).isEqualTo(0.5);
        assertThat(single.get("model").asString()).isEqualTo("single");
        assertThat(single.get("tasks").get("y1").get("metric").asString()).isEqualTo("MSE");
        assertThat(single.get("tasks").get("y1").has("gain")).isFalse();
        JsonNode ple = results.get(1);
        assertThat(ple.get("model").asString()).isEqualTo("ple");
        JsonNode y2 = ple.get("tasks").get("y2");
        assertThat(y2.get("mean").asDouble()).isPositive();
        assertThat(y2.get("std").asDouble()).isNotNegative();
        assertThat(y2.get("gain").has("mean")).isTrue();
        assertThat(ple.get("verdict").asString()).isIn("POSITIVE", "SEESAW", "NEGATIVE_TRANSFER");
        assertThat(ple.get("params").asLong()).isPositive();
        assertThat(ple.get("trainSeconds").asDouble()).isPositive();
    }

    @Test
    void benchTrainPrintsThroughputFigures() {
        int code = run(
                "bench",
                "train",
                "--models",
                "ple",
                "--batch",
                "64",
                "--steps",
                "3",
                "--warmup",
                "1",
                "--format",
                "json");
        assertThat(code).isEqualTo(0);
        JsonNode report = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.get("matmulGflops").asDouble()).isPositive();
        assertThat(report.get("threads").asInt()).isPositive();
        JsonNode ple = report.get("results").get(0);
        assertThat(ple.get("model").asString()).isEqualTo("ple");
        assertThat(ple.get("params").asLong()).isEqualTo(1405954L);
        for (String field : new String[] {
            "trainSamplesPerSec", "stepMsP50", "stepMsP99", "inferSamplesPerSec", "achievedGflops", "peakRssMb"
        }) {
            assertThat(ple.get(field).asDouble()).as(field).isPositive();
        }
        assertThat(ple.get("stepMsP99").asDouble())
                .isGreaterThanOrEqualTo(ple.get("stepMsP50").asDouble());
    }
}
