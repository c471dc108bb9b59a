package io.fulcrum.rollout;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Experiments written straight into the rollout tables, as the experiments part would leave them:
 * routing only reads {@code ab_experiment} and {@code ab_variant}.
 */
final class RoutingFixtures {

    private RoutingFixtures() {}

    /** A RUNNING experiment on the surface with the variants in bucket order; returns its id. */
    static long startExperiment(
            JdbcTemplate jdbc,
            long surfaceId,
            String salt,
            String rampPlan,
            List<String> variants,
            List<Integer> versions,
            List<Integer> allocations) {
        long id = jdbc.queryForObject(
                "INSERT INTO ab_experiment (name, surface_id, state, salt, target_metric, ramp_plan, created_by,"
                        + " created_at, started_at, updated_at) VALUES (?, ?, 'RUNNING', ?, 'views_per_user',"
                        + " ?::jsonb, 'test', now(), now(), now()) RETURNING id",
                Long.class,
                "exp-" + salt,
                surfaceId,
                salt,
                rampPlan);
        for (int i = 0; i < variants.size(); i++) {
            jdbc.update(
                    "INSERT INTO ab_variant (experiment_id, name, position, control, model_version, scoring,"
                            + " allocation_bps) VALUES (?, ?, ?, ?, ?, '{}'::jsonb, ?)",
                    id,
                    variants.get(i),
                    i,
                    i == 0,
                    versions.get(i),
                    allocations.get(i));
        }
        return id;
    }

    static void stop(JdbcTemplate jdbc, long experiment) {
        jdbc.update("UPDATE ab_experiment SET state = 'STOPPED', stopped_at = now() WHERE id = ?", experiment);
    }
}
