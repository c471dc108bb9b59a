package io.fulcrum.bench;

import io.fulcrum.rollout.BucketHash;
import io.fulcrum.rollout.Route;
import io.fulcrum.rollout.SurfaceRouting;
import io.fulcrum.system.Percentiles;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code bench assign} measures: {@link SurfaceRouting#route} in-process, the assignment every
 * ranking request starts with, for distinct users on a surface with a running three-variant
 * experiment (cached plan, MurmurHash3 bucket, traffic split), timed call by call; and the bucket
 * hash alone. The surface and experiment are written straight into the tables: routing needs no model.
 */
public final class AssignBenchmark {

    /** @param users distinct users routed in the measured loop, each once; {@code warmup} calls before it */
    public record Settings(int users, int warmup) {}

    private final PrintStream err;

    public AssignBenchmark(PrintStream err) {
        this.err = err;
    }

    public Map<String, Object> run(Settings settings) {
        try (ThrowAwayServer server = ThrowAwayServer.start("bench-assign", err, "--fulcrum.worker.embedded=false")) {
            ConfigurableApplicationContext app = server.app();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            long surface = jdbc.queryForObject(
                    "INSERT INTO surface (name, model_name, scoring, created_at, updated_at)"
                            + " VALUES ('bench-assign', 'bench-ranker', '{}', now(), now()) RETURNING id",
                    Long.class);
            long experiment = jdbc.queryForObject(
                    "INSERT INTO ab_experiment (name, surface_id, state, salt, target_metric, ramp_plan, created_by,"
                            + " created_at, started_at, updated_at) VALUES ('bench', ?, 'RUNNING', 'bench-salt',"
                            + " 'views_per_user', '[{\"percent\": 100, \"minDuration\": \"PT1H\"}]', 'bench',"
                            + " now(), now(), now()) RETURNING id",
                    Long.class,
                    surface);
            List<String> variants = List.of("control", "b", "c");
            for (int i = 0; i < variants.size(); i++) {
                jdbc.update(
                        "INSERT INTO ab_variant (experiment_id, name, position, control, model_version, scoring,"
                                + " allocation_bps) VALUES (?, ?, ?, ?, ?, '{}', ?)",
                        experiment,
                        variants.get(i),
                        i,
                        i == 0,
                        i + 1,
                        i == 2 ? 3334 : 3333);
            }
            SurfaceRouting routing = app.getBean(SurfaceRouting.class);
            err.printf("routing %,d warm-up and %,d measured users%n", settings.warmup(), settings.users());
            long sink = 0;
            for (int i = 0; i < settings.warmup(); i++) {
                sink += routing.route("bench-assign", "warm-" + i).modelVersion();
            }
            String[] users = new String[settings.users()];
            for (int i = 0; i < users.length; i++) {
                users[i] = "user-" + i;
            }
            double[] micros = new double[users.length];
            int[] perVariant = new int[3];
            long t0 = System.nanoTime();
            for (int i = 0; i < users.length; i++) {
                long s = System.nanoTime();
                Route route = routing.route("bench-assign", users[i]);
                micros[i] = (System.nanoTime() - s) / 1e3;
                perVariant[route.modelVersion() - 1]++;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long h0 = System.nanoTime();
            for (String user : users) {
                sink += BucketHash.bucket("bench-salt", user);
            }
            double hashNanos = (System.nanoTime() - h0) / (double) users.length;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("users", users.length);
            r.put("routeMicros", Percentiles.summary(micros));
            r.put("routesPerSecond", Math.round(users.length / seconds));
            r.put("meanRouteNanos", Math.round(seconds * 1e9 / users.length));
            r.put("bucketHashNanos", Math.round(hashNanos));
            r.put("usersPerVariant", Map.of("control", perVariant[0], "b", perVariant[1], "c", perVariant[2]));
            r.put("checksum", sink % 10);
            return r;
        }
    }
}
