package io.fulcrum.cli;

import io.fulcrum.simulator.VideoWorld;
import io.fulcrum.simulator.VideoWorldSpec;
import io.fulcrum.system.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code simulate-ab}: drives simulated users of the video world against a running Fulcrum through
 * its REST API only, then prints the experiment's results. The world is rebuilt from the dataset
 * that trained the experiment's control version (its generator spec and world seed), so users react
 * with the same ground truth the models learned from.
 */
final class SimulateAb {

    /** The metrics the printed table shows; the paper's online test reports the first two. */
    private static final List<String> SHOWN =
            List.of("views_per_user", "watch_time_per_user", "click_rate", "play_rate", "completion_ratio");

    private final PrintStream out;
    private final PrintStream err;

    SimulateAb(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) throws Exception {
        CliArgs a = new CliArgs(
                args,
                Set.of(
                        "server",
                        "experiment",
                        "users",
                        "days",
                        "seed",
                        "sessions",
                        "candidates",
                        "limit",
                        "patience",
                        "threads",
                        "format",
                        "token",
                        "serving-token",
                        "expected-lift"));
        Map<String, Double> expectedLifts = AbPlanning.parse(a.string("expected-lift", null));
        String server = a.string("server", null);
        if (server == null) {
            throw new IllegalArgumentException("--server URL is required, e.g. --server http://localhost:8080");
        }
        long experimentId = a.integer("experiment", -1, 1);
        if (experimentId < 1) {
            throw new IllegalArgumentException("--experiment ID is required");
        }
        int threads = a.integer("threads", 4, 1);
        FulcrumHttp http = new FulcrumHttp(
                server,
                a.string("token", System.getenv(FulcrumHttp.TOKEN_ENV)),
                a.string("serving-token", System.getenv(FulcrumHttp.SERVING_TOKEN_ENV)));

        JsonNode experiment = http.get("/api/ab-experiments/" + experimentId);
        if (!"RUNNING".equals(experiment.path("state").asString())) {
            throw new IllegalArgumentException("experiment " + experimentId + " is "
                    + experiment.path("state").asString() + "; start it before simulating traffic");
        }
        String surface = experiment.path("surface").asString();
        String modelName =
                http.get("/api/surfaces/" + surface).path("modelName").asString();
        int version = controlVersion(experiment);
        long datasetId = http.get("/api/models/" + modelName + "/versions/" + version)
                .path("datasetId")
                .asLong();
        JsonNode dataset = http.get("/api/datasets/" + datasetId);
        if (!"VIDEO_SIMULATOR".equals(dataset.path("kind").asString())) {
            throw new IllegalArgumentException("the experiment's models were trained on dataset " + datasetId
                    + " of kind " + dataset.path("kind").asString()
                    + "; simulate-ab needs a VIDEO_SIMULATOR dataset to know how users react");
        }
        JsonNode source = dataset.path("source");
        VideoWorldSpec worldSpec = source.path("world").isObject()
                ? Json.MAPPER.treeToValue(source.path("world"), VideoWorldSpec.class)
                : VideoWorldSpec.defaults();
        long worldSeed = source.path("worldSeed").asLong(1);
        err.printf("building the world of dataset %d (seed %d)%n", datasetId, worldSeed);
        VideoWorld world = VideoWorld.build(worldSpec, worldSeed);

        AbSimulation.Settings settings = new AbSimulation.Settings(
                surface,
                a.integer("users", 4000, 1),
                a.integer("days", 7, 1),
                a.integer("sessions", 3, 1),
                a.integer("candidates", 50, 1),
                a.integer("limit", 10, 1),
                a.decimal("patience", 0.85),
                a.integer("seed", 1, 0),
                threads,
                1000);
        AbSimulation.Totals totals = new AbSimulation(http, world, settings, err).run();
        JsonNode results = http.get("/api/ab-experiments/" + experimentId + "/results");
        List<AbPlanning.Metric> planning =
                AbPlanning.assess(expectedLifts, results, settings.users(), totals.seconds());

        if (a.format().equals("json")) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("settings", settings);
            report.put("totals", totals);
            report.put("results", results);
            if (!planning.isEmpty()) {
                report.put("expected", planning);
            }
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            printTable(settings, totals, results);
            printPlanning(settings, planning);
        }
        return 0;
    }

    private void printPlanning(AbSimulation.Settings settings, List<AbPlanning.Metric> planning) {
        if (planning.isEmpty()) {
            return;
        }
        out.printf(
                "%nexpected lifts (users for %.0f standard errors at %d days × %d sessions, and hours to simulate"
                        + " them at this run's pace):%n",
                AbPlanning.STANDARD_ERRORS, settings.days(), settings.sessionsPerDay());
        out.printf(
                "%-20s %9s %9s %22s %9s %12s %8s%n",
                "metric", "expected", "lift", "95% CI", "contains", "users for 3SE", "hours");
        for (AbPlanning.Metric m : planning) {
            out.printf(
                    "%-20s %+8.2f%% %+8.2f%% [%+8.2f%%, %+8.2f%%] %9s %12s %8s%n",
                    m.metric(),
                    100 * m.expectedLift(),
                    100 * m.lift(),
                    100 * m.ciLow(),
                    100 * m.ciHigh(),
                    m.containsExpected() ? "yes" : "NO",
                    m.usersNeeded() == null ? "-" : String.format("%,d", m.usersNeeded()),
                    m.hoursNeeded() == null ? "-" : String.format("%.1f", m.hoursNeeded()));
        }
    }

    private static int controlVersion(JsonNode experiment) {
        for (JsonNode variant : experiment.path("variants")) {
            if (variant.path("control").asBoolean()) {
                return variant.path("modelVersion").asInt();
            }
        }
        throw new IllegalStateException("the experiment has no control variant");
    }

    private void printTable(AbSimulation.Settings settings, AbSimulation.Totals totals, JsonNode results) {
        out.printf(
                "%d users × %d days × %d sessions: %d rankings, %d exposures, %d events in %.0f s%n",
                settings.users(),
                settings.days(),
                settings.sessionsPerDay(),
                totals.requests(),
                totals.exposures(),
                totals.events(),
                totals.seconds());
        out.printf("rankings per variant: %s%n%n", totals.requestsByVariant());
        out.printf("%-12s %8s %10s", "variant", "users", "exposures");
        for (String metric : SHOWN) {
            out.printf(" %20s", metric);
        }
        out.println();
        for (JsonNode v : results.path("variants")) {
            out.printf(
                    "%-12s %8d %10d",
                    v.path("name").asString() + (v.path("control").asBoolean() ? "*" : ""),
                    v.path("users").asLong(),
                    v.path("exposures").asLong());
            for (String metric : SHOWN) {
                out.printf(" %20.4f", v.path("metrics").path(metric).asDouble());
            }
            out.println();
        }
        out.println();
        out.printf("%-12s %-20s %9s %22s %10s%n", "variant", "metric", "lift", "95% CI", "p");
        for (JsonNode c : results.path("comparisons")) {
            if (!SHOWN.contains(c.path("metric").asString())) {
                continue;
            }
            out.printf(
                    "%-12s %-20s %+8.2f%% [%+8.2f%%, %+8.2f%%] %10.2g%s%n",
                    c.path("variant").asString(),
                    c.path("metric").asString(),
                    100 * c.path("lift").asDouble(),
                    100 * c.path("ciLow").asDouble(),
                    100 * c.path("ciHigh").asDouble(),
                    c.path("pValue").asDouble(),
                    c.path("significant").asBoolean() ? "  significant" : "");
        }
        JsonNode srm = results.path("srm");
        out.printf(
                "%nsample ratio: chi-square %.2f, p %.3g%s%n",
                srm.path("chiSquare").asDouble(),
                srm.path("pValue").asDouble(),
                srm.path("mismatch").asBoolean() ? "  MISMATCH" : " (no mismatch)");
    }
}
