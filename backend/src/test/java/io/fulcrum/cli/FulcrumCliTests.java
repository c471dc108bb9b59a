package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fulcrum.system.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FulcrumCliTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return FulcrumCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void benchTrainTakesADeviceTheEngineHas() {
        assertThat(run("bench", "train", "--device", "tpu")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--device: cpu, gpu or gpu:N, got 'tpu'");
        assertThat(BenchTrain.device("cpu")).isEqualTo(ai.djl.Device.cpu());
        assumeThat(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount())
                .as("no GPU here")
                .isZero();
        assertThatThrownBy(() -> BenchTrain.device("gpu"))
                .hasMessageContaining("sees 0 GPU(s); a CUDA build of PyTorch and a visible GPU are needed");
    }

    @Test
    void handlesOnlyItsCommands() {
        assertThat(FulcrumCli.handles("reproduce")).isTrue();
        assertThat(FulcrumCli.handles("bench")).isTrue();
        assertThat(FulcrumCli.handles("server")).isFalse();
        assertThat(FulcrumCli.handles(null)).isFalse();
    }

    @Test
    void onlyAWordThatIsNoRoleAndNoCommandIsUnknown() {
        assertThat(FulcrumCli.unknownCommand(new String[] {"simulate-ba", "--repeats", "5"}))
                .contains("simulate-ba");
        assertThat(FulcrumCli.unknownCommand(new String[] {"simulate-aa", "--repeats", "5"}))
                .isEmpty();
        assertThat(FulcrumCli.unknownCommand(new String[] {"sever"})).contains("sever");
        assertThat(FulcrumCli.unknownCommand(new String[] {})).isEmpty();
        assertThat(FulcrumCli.unknownCommand(new String[] {"--server.port=9090"}))
                .isEmpty();
        assertThat(FulcrumCli.unknownCommand(new String[] {"server", "--server.port=9090"}))
                .isEmpty();
        assertThat(FulcrumCli.unknownCommand(new String[] {"worker"})).isEmpty();
        assertThat(FulcrumCli.unknownCommand(new String[] {"simulate-ab", "--server", "x"}))
                .isEmpty();
        assertThat(FulcrumCli.usage())
                .contains("fulcrum worker")
                .contains("fulcrum simulate-ab")
                .contains("fulcrum simulate-aa");
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() {
        assertThat(run("reproduce", "synthetic", "--models", "ple,foo")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--models: unknown 'foo'");
        assertThat(run("reproduce", "synthetic", "--format", "xml")).isEqualTo(2);
        assertThat(run("reproduce", "synthetic", "--weight-decay", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("weightDecay: must be >= 0");
        assertThat(run("reproduce", "synthetic", "--tolerance", "f1=0.1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--tolerance: unknown metric 'f1', must be one of [auc, logloss, mse, mae]");
        assertThat(run("reproduce", "synthetic", "--tolerance", "mse=-1%")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tolerance: must be a finite number >= 0");
        assertThat(run("reproduce", "census", "--data", "x", "--tolerance", "0.1,auc=1"))
                .isEqualTo(2);
        assertThat(run("reproduce", "synthetic", "--seeds", "1,1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seeds: seed 1 is given twice");
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
                "4,9",
                "--tolerance",
                "mse=1%",
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
        assertThat(report.get("settings").get("seedList").toString()).isEqualTo("[4,9]");
        assertThat(report.get("settings").get("tolerance").asString()).isEqualTo("mse=1%");
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
        // two seeds: an interval per task, but too few seeds for a verdict
        JsonNode ci = y2.get("gain").get("ci");
        assertThat(ci.get("low").asDouble())
                .isLessThanOrEqualTo(y2.get("gain").get("mean").asDouble());
        assertThat(ci.get("high").asDouble())
                .isGreaterThanOrEqualTo(y2.get("gain").get("mean").asDouble());
        assertThat(y2.get("call").asString()).isIn("BETTER", "WORSE", "NO_CHANGE");
        assertThat(ple.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        JsonNode seeds = y2.get("seeds");
        assertThat(seeds).hasSize(2);
        assertThat(seeds.get(0).get("seed").asInt()).isEqualTo(4);
        assertThat(seeds.get(1).get("seed").asInt()).isEqualTo(9);
        JsonNode singleSeeds = single.get("tasks").get("y2").get("seeds");
        for (int s = 0; s < 2; s++) {
            // the gain of a seed is the single-task MSE minus the model's on that seed
            assertThat(seeds.get(s).get("gain").asDouble())
                    .isCloseTo(
                            singleSeeds.get(s).get("value").asDouble()
                                    - seeds.get(s).get("value").asDouble(),
                            org.assertj.core.api.Assertions.within(2e-6));
            assertThat(singleSeeds.get(s).has("gain")).isFalse();
        }
        double singleMean = (singleSeeds.get(0).get("value").asDouble()
                        + singleSeeds.get(1).get("value").asDouble())
                / 2;
        assertThat(y2.get("tolerance").asDouble())
                .as("1% of the baseline's mean MSE")
                .isCloseTo(0.01 * singleMean, org.assertj.core.api.Assertions.within(2e-6));
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
