package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.SharedData;
import io.fulcrum.system.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** reproduce census and reproduce video end to end on small settings: data import, training, report. */
class DatasetReproductionsTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return FulcrumCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode report() {
        return Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reproduceCensusScoresBothTasksByAuc() {
        String data = SharedData.file("census-income/census-income.test.gz").toString();

        int code = run(
                "reproduce",
                "census",
                "--data",
                data,
                "--models",
                "single,ple",
                "--seeds",
                "1",
                "--epochs",
                "1",
                "--format",
                "json");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = report();
        assertThat(report.get("experiment").asString()).isEqualTo("census");
        JsonNode ple = report.get("results").get(1);
        assertThat(ple.get("model").asString()).isEqualTo("ple");
        assertThat(ple.get("tasks").get("income").get("metric").asString()).isEqualTo("AUC");
        // one epoch already separates the classes well: far above chance, below perfection
        assertThat(ple.get("tasks").get("income").get("mean").asDouble()).isBetween(0.90, 0.99);
        assertThat(ple.get("tasks").get("never_married").get("mean").asDouble()).isBetween(0.95, 1.0);
        assertThat(ple.get("tasks").get("income").get("gain").get("mean").isNumber())
                .isTrue();
        // one seed: a gain without an interval, so no change, and no verdict yet
        assertThat(ple.get("tasks").get("income").get("gain").get("ci").isNull())
                .isTrue();
        assertThat(ple.get("tasks").get("income").get("call").asString()).isEqualTo("NO_CHANGE");
        assertThat(ple.get("tasks")
                        .get("income")
                        .get("seeds")
                        .get(0)
                        .get("seed")
                        .asInt())
                .isEqualTo(1);
        assertThat(ple.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(report.get("results").get(0).has("verdict"))
                .as("the baseline has no verdict")
                .isFalse();
    }

    private double singleIncomeAuc(String... extra) {
        out.reset();
        String data = SharedData.file("census-income/census-income.test.gz").toString();
        String[] args = {
            "reproduce",
            "census",
            "--data",
            data,
            "--models",
            "single",
            "--seeds",
            "1",
            "--epochs",
            "1",
            "--format",
            "json"
        };
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        assertThat(run(all)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return report().get("results")
                .get(0)
                .get("tasks")
                .get("income")
                .get("mean")
                .asDouble();
    }

    @Test
    void reproduceCensusTrainsUnweightedUnlessAskedForTheInstanceWeights() {
        double unweighted = singleIncomeAuc();
        assertThat(report().get("settings").get("sampleWeights").asString()).isEqualTo("none");

        double weighted = singleIncomeAuc("--sample-weights");

        assertThat(report().get("settings").get("sampleWeights").asString()).isEqualTo("instance_weight");
        assertThat(weighted).isBetween(0.85, 1.0).isNotEqualTo(unweighted);
    }

    @Test
    void reproduceCensusNeedsItsData() {
        assertThat(run("reproduce", "census")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--data: give the path");
        assertThat(run("reproduce", "census", "--data", "/no/such/file")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--data: cannot read");
    }

    /** Single-task and MMoE models on one seed of a small world, as JSON; {@code more} adds options. */
    private int reproduceSmallVideo(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "reproduce",
                "video",
                "--impressions",
                "20000",
                "--users",
                "2000",
                "--videos",
                "500",
                "--models",
                "single,mmoe",
                "--seeds",
                "1",
                "--format",
                "json"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void reproduceVideoScoresVtrByAucAndVcrByMse() {
        int code = reproduceSmallVideo("--epochs", "3");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode mmoe = report().get("results").get(1);
        assertThat(mmoe.get("tasks").get("vtr").get("metric").asString()).isEqualTo("AUC");
        assertThat(mmoe.get("tasks").get("vcr").get("metric").asString()).isEqualTo("MSE");
        assertThat(mmoe.get("tasks").get("vcr").get("mean").asDouble()).isBetween(0.0, 0.25);
        assertThat(mmoe.get("tasks").get("vtr").get("mean").asDouble())
                .as("learnt something")
                .isBetween(0.6, 1.0);
    }

    @Test
    void reproduceVideoScoresAFunnelsJointProbabilityOutsideTheVerdict() {
        int code = reproduceSmallVideo(
                "--epochs", "1", "--tasks", "ctr,shr", "--models", "esmm,aitm,ple-norm", "--seeds", "1,2");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode results = report().get("results");
        List<String> models = new ArrayList<>();
        results.forEach(r -> models.add(r.get("model").asString()));
        assertThat(models).containsExactly("esmm", "aitm", "ple-norm");
        for (JsonNode row : results) {
            JsonNode joint = row.get("tasks").get("shr:joint");
            assertThat(joint.get("metric").asString()).isEqualTo("AUC");
            assertThat(joint.get("seeds")).hasSize(2);
            assertThat(joint.has("call")).isTrue();
        }
        // share exists only after a click: the joint is scored on every impression, shr on clicks
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("shr:joint AUC");
    }

    @Test
    void reproduceVideoRefusesAFunnelArchitectureWithoutAFunnel() {
        assertThat(reproduceSmallVideo("--epochs", "1", "--models", "esmm")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("esmm needs a funnel");
    }

    @Test
    void reproduceVideoReplaysEachModelOnlineAgainstTheSingleTaskRanker() {
        int code = reproduceSmallVideo(
                "--epochs", "2", "--online-sessions", "300", "--online-limit", "5", "--online-length", "log:60");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = report();
        assertThat(report.get("settings").get("online").get("sessions").asInt()).isEqualTo(300);
        JsonNode single = report.get("results").get(0).get("online");
        JsonNode mmoe = report.get("results").get(1).get("online");
        assertThat(single.has("viewsLift")).isFalse();
        double views = mmoe.get("viewsPerSession").get("mean").asDouble();
        // at most one play per looked-at item: 1 + 0.85 + ... + 0.85^4
        assertThat(views).isBetween(0.0, (1 - Math.pow(0.85, 5)) / 0.15);
        assertThat(mmoe.get("watchSecondsPerSession").get("mean").asDouble()).isPositive();
        double singleViews = single.get("viewsPerSession").get("mean").asDouble();
        assertThat(mmoe.get("viewsLift").get("mean").asDouble()).isCloseTo(views / singleViews - 1, within(1e-5));
        double validViews = mmoe.get("validViewsPerSession").get("mean").asDouble();
        assertThat(validViews).isPositive().isLessThan(views);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("online:");
    }

    @Test
    void reproduceVideoPairsEachArchitecturesOnlineLiftWithEveryOtherOnTheSameSessions() {
        int code = reproduceSmallVideo(
                "--epochs", "1", "--models", "single,mmoe,ple", "--seeds", "1,2", "--online-sessions", "200");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode results = report().get("results");
        JsonNode mmoe = results.get(1).get("online");
        JsonNode ple = results.get(2).get("online");
        JsonNode pleOverMmoe = ple.get("against").get("mmoe");
        double meanRatio = ple.get("viewsPerSession").get("mean").asDouble()
                        / mmoe.get("viewsPerSession").get("mean").asDouble()
                - 1;
        assertThat(pleOverMmoe.get("views").get("mean").asDouble()).isCloseTo(meanRatio, within(0.01));
        JsonNode ci = pleOverMmoe.get("watchTime").get("ci");
        assertThat(ci.get("low").asDouble())
                .isLessThanOrEqualTo(pleOverMmoe.get("watchTime").get("mean").asDouble());
        assertThat(ci.get("high").asDouble())
                .isGreaterThanOrEqualTo(pleOverMmoe.get("watchTime").get("mean").asDouble());
        assertThat(mmoe.get("against").get("ple").get("validViews").get("mean").asDouble())
                .isCloseTo(-pleOverMmoe.get("validViews").get("mean").asDouble(), within(0.01));
        assertThat(mmoe.get("viewsLift").get("ci")).isNotNull();
        assertThat(results.get(0).get("online").has("against")).isFalse();
    }

    @Test
    void reproduceVideoRefusesExponentsOfTasksItDoesNotTrain() {
        assertThat(run("reproduce", "video", "--online-sessions", "10", "--online-exponents", "ctr=1"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--online-exponents: 'ctr' is not one of the trained tasks [vtr, vcr]");
    }

    @Test
    void reproduceVideoRefusesUnknownTasks() {
        assertThat(run("reproduce", "video", "--tasks", "vtr,likes")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tasks: unknown 'likes'");
    }

    @Test
    void reproduceVideoMatchesTheModelsParametersAndLeavesTheBaseline() {
        int plain = reproduceSmallVideo("--epochs", "1", "--models", "single,mmoe,ple");
        assertThat(plain).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode asAsked = report();
        long single = asAsked.get("results").get(0).get("params").asLong();
        long mmoe = asAsked.get("results").get(1).get("params").asLong();
        long ple = asAsked.get("results").get(2).get("params").asLong();
        assertThat(ple).isGreaterThan(mmoe);
        out.reset();

        int matched = reproduceSmallVideo("--epochs", "1", "--models", "single,mmoe,ple", "--match-params");
        assertThat(matched).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = report();
        assertThat(report.get("settings").get("matchParameters").asBoolean()).isTrue();
        assertThat(report.get("settings")
                        .get("parametersAsSpecified")
                        .get("ple")
                        .asLong())
                .isEqualTo(ple);
        assertThat(report.get("settings").get("parametersMatched").get("mmoe").asLong())
                .isEqualTo(report.get("results").get(1).get("params").asLong());
        assertThat(report.get("results").get(0).get("params").asLong()).isEqualTo(single);
        for (int row = 1; row <= 2; row++) {
            assertThat(report.get("results").get(row).get("params").asDouble()).isBetween(ple * 0.95, ple * 1.05);
        }
    }

    @Test
    void refusesABudgetWithoutMatchingOrBelowTheSmallestModel() {
        assertThat(reproduceSmallVideo("--param-budget", "100000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--param-budget: needs --match-params");
        assertThat(reproduceSmallVideo("--match-params", "--param-budget", "10"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--param-budget: mmoe has at least");
    }

    @Test
    void reproduceVideoSweepsAKnobAndReportsEachWorldsTaskConflict() {
        int code = reproduceSmallVideo("--epochs", "1", "--world", "taskCorrelation=1,-0.5");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = report();
        assertThat(report.get("settings").get("world").get("knob").asString()).isEqualTo("taskCorrelation");
        JsonNode results = report.get("results");
        assertThat(results).hasSize(4); // single and mmoe in each of two worlds
        JsonNode today = results.get(0).get("setting");
        JsonNode opposed = results.get(2).get("setting");
        assertThat(today.get("taskCorrelation").asDouble()).isEqualTo(1.0);
        assertThat(opposed.get("taskCorrelation").asDouble()).isEqualTo(-0.5);
        assertThat(results.get(3).get("model").asString()).isEqualTo("mmoe");
        JsonNode agreeing = today.get("conflict").get(0);
        assertThat(agreeing.get("a").asString()).isEqualTo("vtr");
        assertThat(agreeing.get("b").asString()).isEqualTo("vcr");
        assertThat(opposed.get("conflict").get(0).get("sessionCorrelation").asDouble())
                .isLessThan(agreeing.get("sessionCorrelation").asDouble());
        assertThat(opposed.get("conflict").get(0).get("discordantPairs").asDouble())
                .isGreaterThan(agreeing.get("discordantPairs").asDouble());
    }

    @Test
    void reproduceVideoRefusesAnUnknownKnobAnOutOfRangeValueAndARunThatWouldNotFit() {
        assertThat(run("reproduce", "video", "--world", "loudness=1,2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--world: unknown knob 'loudness'");
        assertThat(run("reproduce", "video", "--world", "taskCorrelation=1,1.5"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--world: conflict.taskCorrelation must be in [-1.0, 1.0], was 1.5");
        assertThat(run("reproduce", "video", "--world", "clickbait=-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("conflict.clickbait must be in");
        assertThat(run("reproduce", "video", "--impressions", "2000000000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--impressions: 2,000,000,000 impressions need about");
    }
}
