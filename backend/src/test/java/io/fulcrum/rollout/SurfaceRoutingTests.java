package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Who is served what on a surface, and how fast a change reaches serving (the test TTL is an hour). */
@FulcrumSpringTest
class SurfaceRoutingTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SurfaceRouting routing;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    PlatformTransactionManager transactions;

    ServingFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ServingFixtures(mvc);
    }

    @Test
    void withoutAnExperimentEveryoneGetsTheChampionWithTheSurfaceScoring() {
        String model = fx.model();
        fx.setChampion(model, 2);
        String surface = fx.surface(model, "{\"exponents\": {\"vtr\": 2.0}}");

        Route route = routing.route(surface, "anyone");

        assertThat(route.champion()).isTrue();
        assertThat(route.experimentId()).isNull();
        assertThat(route.variant()).isNull();
        assertThat(route.modelName()).isEqualTo(model);
        assertThat(route.modelVersion()).isEqualTo(2);
        assertThat(route.scoring().exponents()).isEqualTo(Map.of("vtr", 2.0));
        fx.setChampion(model, 1);
    }

    @Test
    void usersInTheRampGetTheirVariantAndTheRestTheChampion() {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{}");
        long surfaceId = fx.surfaceId(surface);
        long experiment = RoutingFixtures.startExperiment(
                jdbc,
                surfaceId,
                "salt-ramp",
                "[{\"percent\": 10, \"minDuration\": \"PT1H\"}, {\"percent\": 50, \"minDuration\": \"PT1H\"}]",
                List.of("control", "treatment"),
                List.of(1, 2),
                List.of(5000, 5000));
        jdbc.update(
                "UPDATE ab_variant SET scoring = '{\"exponents\": {\"vcr\": 3.0}}' WHERE experiment_id = ?"
                        + " AND name = 'treatment'",
                experiment);
        events.publishEvent(new RolloutChanged(surfaceId));
        try {
            TrafficSplit at10 = new TrafficSplit(List.of("control", "treatment"), List.of(5000, 5000), 10);
            int[] seen = new int[3];
            for (int u = 0; u < 2000; u++) {
                String user = "ramp-" + u;
                String expected = at10.variantOf(BucketHash.bucket("salt-ramp", user));

                Route route = routing.route(surface, user);

                assertThat(route.variant()).as(user).isEqualTo(expected);
                if (expected == null) {
                    assertThat(route.experimentId()).isNull();
                    assertThat(route.modelVersion()).isEqualTo(1);
                    seen[0]++;
                } else {
                    assertThat(route.experimentId()).isEqualTo(experiment);
                    assertThat(route.modelVersion()).isEqualTo(expected.equals("control") ? 1 : 2);
                    assertThat(route.scoring().exponents())
                            .isEqualTo(expected.equals("control") ? Map.of() : Map.of("vcr", 3.0));
                    seen[expected.equals("control") ? 1 : 2]++;
                }
            }
            // 10 % of each half: about 100 users in each variant, the other 1,800 held out
            assertThat(seen[0]).isBetween(1700, 1900);
            assertThat(seen[1]).isBetween(60, 140);
            assertThat(seen[2]).isBetween(60, 140);

            jdbc.update("UPDATE ab_experiment SET ramp_step = 1 WHERE id = ?", experiment);
            events.publishEvent(new RolloutChanged(surfaceId));
            TrafficSplit at50 = new TrafficSplit(List.of("control", "treatment"), List.of(5000, 5000), 50);
            for (int u = 0; u < 500; u++) {
                String user = "ramp-" + u;
                assertThat(routing.route(surface, user).variant())
                        .isEqualTo(at50.variantOf(BucketHash.bucket("salt-ramp", user)));
            }
        } finally {
            RoutingFixtures.stop(jdbc, experiment);
            events.publishEvent(new RolloutChanged(surfaceId));
        }
        assertThat(routing.route(surface, "ramp-1").champion()).isTrue();
    }

    @Test
    void theRampPercentIsThatOfTheCurrentStepOrAHundredWithoutAPlan() {
        String plan = "[{\"percent\": 5, \"minDuration\": \"PT1H\"}, {\"percent\": 25, \"minDuration\": \"PT2H\"}]";
        assertThat(AbExperiments.rampPercent(plan, 0)).isEqualTo(5);
        assertThat(AbExperiments.rampPercent(plan, 1)).isEqualTo(25);
        assertThat(AbExperiments.rampPercent(plan, 7)).isEqualTo(25);
        assertThat(AbExperiments.rampPercent("[]", 0)).isEqualTo(100);
        assertThat(AbExperiments.rampPercent((String) null, 0)).isEqualTo(100);
    }

    @Test
    void aChangeReachesServingWhenItsTransactionCommitsAndNotWhenItRollsBack() {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{}");
        long surfaceId = fx.surfaceId(surface);
        assertThat(routing.route(surface, "u").champion()).isTrue();
        // changed behind the application's back: the cached plan still serves the champion
        long experiment = RoutingFixtures.startExperiment(
                jdbc, surfaceId, "salt-tx", "[]", List.of("all"), List.of(2), List.of(10_000));
        try {
            assertThat(routing.route(surface, "u").champion()).isTrue();

            TransactionTemplate tx = new TransactionTemplate(transactions);
            tx.executeWithoutResult(status -> {
                events.publishEvent(new RolloutChanged(surfaceId));
                status.setRollbackOnly();
            });
            assertThat(routing.route(surface, "u").champion())
                    .as("a rolled-back change leaves serving alone")
                    .isTrue();

            tx.executeWithoutResult(status -> events.publishEvent(new RolloutChanged(surfaceId)));
            Route route = routing.route(surface, "u");
            assertThat(route.variant()).isEqualTo("all");
            assertThat(route.modelVersion()).isEqualTo(2);
        } finally {
            RoutingFixtures.stop(jdbc, experiment);
            events.publishEvent(new RolloutChanged(surfaceId));
        }
    }

    @Test
    void editingTheSurfaceChangesItsRouteAtOnce() {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{\"exponents\": {\"vtr\": 1.0}}");
        assertThat(routing.route(surface, "u").scoring().exponents()).isEqualTo(Map.of("vtr", 1.0));

        assertThat(mvc.put()
                        .uri("/api/surfaces/{name}", surface)
                        .contentType("application/json")
                        .content("{\"modelName\": \"" + model + "\", \"scoring\": {\"exponents\": {\"vtr\": 4.0}}}")
                        .exchange())
                .hasStatus(HttpStatus.OK);

        assertThat(routing.route(surface, "u").scoring().exponents()).isEqualTo(Map.of("vtr", 4.0));
    }

    @Test
    void movingTheChampionReachesServingAtOnce() {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{}");
        assertThat(routing.route(surface, "u").modelVersion()).isEqualTo(1);

        fx.setChampion(model, 2);
        assertThat(routing.route(surface, "u").modelVersion()).isEqualTo(2);

        fx.removeChampion(model);
        assertThatThrownBy(() -> routing.route(surface, "u"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("surface " + surface + " has nothing to serve: set the champion alias of model " + model);
        fx.setChampion(model, 1);
    }

    @Test
    void theTtlCatchesChangesNoEventAnnounced() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{}");
        SurfaceRouting shortLived = new SurfaceRouting(
                jdbc,
                registry,
                new ServingProperties(null, null, null, Duration.ofMillis(200), null, null, null, null, null));
        assertThat(shortLived.route(surface, "u").scoring().exponents()).isEmpty();

        jdbc.update("UPDATE surface SET scoring = '{\"exponents\": {\"vcr\": 2.0}}' WHERE name = ?", surface);
        assertThat(shortLived.route(surface, "u").scoring().exponents()).isEmpty();
        Thread.sleep(300);

        assertThat(shortLived.route(surface, "u").scoring().exponents()).isEqualTo(Map.of("vcr", 2.0));
    }

    @Test
    void anUnknownSurfaceIsNotFound() {
        assertThatThrownBy(() -> routing.route("no-such-surface", "u")).isInstanceOf(NotFoundException.class);
    }
}
