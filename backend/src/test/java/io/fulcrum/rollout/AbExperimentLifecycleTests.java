package io.fulcrum.rollout;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.registry.AliasMoveView;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.system.ConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.json.JsonMapper;

/** The experiment state machine, one RUNNING per surface, promotion, rollback, the ramp and the audit. */
@FulcrumSpringTest
@RecordApplicationEvents
class AbExperimentLifecycleTests {

    private static String model;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AbExperiments experiments;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ApplicationEvents events;

    @Autowired
    JsonMapper json;

    AbFixtures ab;

    @BeforeEach
    void fixtures() {
        ab = new AbFixtures(mvc, jdbc);
        synchronized (AbExperimentLifecycleTests.class) {
            if (model == null) {
                model = ab.modelWithTwoVersions();
            }
        }
    }

    // ---- helpers ----

    MvcTestResult post(String uri, String body, String actor) {
        var request = mvc.post().uri(uri);
        if (body != null) {
            request = request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        if (actor != null) {
            request = request.with(TestSecurity.as(actor, "ADMIN"));
        }
        return request.exchange();
    }

    long create(String surface, String actor) {
        MvcTestResult result =
                post("/api/ab-experiments", AbFixtures.experiment(ExperimentFixtures.unique("exp"), surface), actor);
        assertThat(result).hasStatus(HttpStatus.CREATED);
        return ((Number) JsonPath.read(body(result), "$.id")).longValue();
    }

    long create(String surface) {
        return create(surface, null);
    }

    MvcTestResult act(long id, String action, String body) {
        return post("/api/ab-experiments/" + id + "/" + action, body, null);
    }

    String ok(MvcTestResult result) {
        assertThat(result).hasStatus(HttpStatus.OK);
        return body(result);
    }

    String state(long id) {
        return jdbc.queryForObject("SELECT state FROM ab_experiment WHERE id = ?", String.class, id);
    }

    String surfaceScoring(String surface) {
        return jdbc.queryForObject("SELECT scoring::text FROM surface WHERE name = ?", String.class, surface);
    }

    int auditRows(long id) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM ab_experiment_audit WHERE experiment_id = ?", Integer.class, id);
    }

    /** A new experiment on a new surface, brought to {@code state} through the API. */
    long experimentIn(String state) {
        long id = create(ab.surface(model));
        switch (state) {
            case "DRAFT" -> {}
            case "RUNNING" -> ok(act(id, "start", null));
            case "STOPPED" -> {
                ok(act(id, "start", null));
                ok(act(id, "stop", null));
            }
            case "PROMOTED" -> {
                ok(act(id, "start", null));
                ok(act(id, "promote", "{\"variant\": \"treatment\"}"));
            }
            case "ROLLED_BACK" -> {
                ok(act(id, "start", null));
                ok(act(id, "rollback", "{\"reason\": \"bad\"}"));
            }
            default -> throw new IllegalArgumentException(state);
        }
        assertThat(state(id)).isEqualTo(state);
        return id;
    }

    // ---- state machine ----

    static Stream<Arguments> transitions() {
        String draft = "start";
        String running = "stop, promote, rollback, advance";
        String stopped = "promote, rollback";
        return Stream.of(
                Arguments.of("DRAFT", "start", "RUNNING", draft),
                Arguments.of("DRAFT", "stop", null, draft),
                Arguments.of("DRAFT", "promote", null, draft),
                Arguments.of("DRAFT", "rollback", null, draft),
                Arguments.of("DRAFT", "advance", null, draft),
                Arguments.of("RUNNING", "start", null, running),
                Arguments.of("RUNNING", "stop", "STOPPED", running),
                Arguments.of("RUNNING", "promote", "PROMOTED", running),
                Arguments.of("RUNNING", "rollback", "ROLLED_BACK", running),
                Arguments.of("RUNNING", "advance", "RUNNING", running),
                Arguments.of("STOPPED", "start", null, stopped),
                Arguments.of("STOPPED", "stop", null, stopped),
                Arguments.of("STOPPED", "promote", "PROMOTED", stopped),
                Arguments.of("STOPPED", "rollback", "ROLLED_BACK", stopped),
                Arguments.of("STOPPED", "advance", null, stopped),
                Arguments.of("PROMOTED", "start", null, "none (PROMOTED is final)"),
                Arguments.of("PROMOTED", "stop", null, "none (PROMOTED is final)"),
                Arguments.of("PROMOTED", "promote", null, "none (PROMOTED is final)"),
                Arguments.of("PROMOTED", "rollback", null, "none (PROMOTED is final)"),
                Arguments.of("PROMOTED", "advance", null, "none (PROMOTED is final)"),
                Arguments.of("ROLLED_BACK", "start", null, "none (ROLLED_BACK is final)"),
                Arguments.of("ROLLED_BACK", "stop", null, "none (ROLLED_BACK is final)"),
                Arguments.of("ROLLED_BACK", "promote", null, "none (ROLLED_BACK is final)"),
                Arguments.of("ROLLED_BACK", "rollback", null, "none (ROLLED_BACK is final)"),
                Arguments.of("ROLLED_BACK", "advance", null, "none (ROLLED_BACK is final)"));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("transitions")
    void everyTransitionIsAllowedOrRefusedWithA409NamingStateAndAllowedTransitions(
            String from, String action, String to, String allowed) {
        long id = experimentIn(from);
        int audits = auditRows(id);
        String body = switch (action) {
            case "promote" -> "{\"variant\": \"control\", \"reason\": \"why not\"}";
            case "rollback" -> "{\"reason\": \"why not\"}";
            default -> null;
        };

        MvcTestResult result = act(id, action, body);

        if (to != null) {
            assertThat(result).hasStatus(HttpStatus.OK);
            assertThat(result).bodyJson().extractingPath("$.state").isEqualTo(to);
            assertThat(state(id)).isEqualTo(to);
            assertThat(auditRows(id)).isEqualTo(audits + 1);
        } else {
            assertThat(result).hasStatus(HttpStatus.CONFLICT);
            assertThat(JsonPath.<String>read(body(result), "$.detail"))
                    .isEqualTo("Experiment " + id + " is " + from + "; cannot " + action + " it. Allowed transitions: "
                            + allowed);
            assertThat(state(id)).isEqualTo(from);
            assertThat(auditRows(id)).isEqualTo(audits);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"RUNNING", "STOPPED", "PROMOTED", "ROLLED_BACK"})
    void onlyADraftCanBeEditedOrDeleted(String state) {
        long id = experimentIn(state);
        String surface = jdbc.queryForObject(
                "SELECT s.name FROM surface s JOIN ab_experiment e ON e.surface_id = s.id WHERE e.id = ?",
                String.class,
                id);

        MvcTestResult edit = mvc.put()
                .uri("/api/ab-experiments/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(AbFixtures.experiment("renamed", surface))
                .exchange();
        assertThat(edit).hasStatus(HttpStatus.CONFLICT);
        assertThat(JsonPath.<String>read(body(edit), "$.detail"))
                .startsWith("Experiment " + id + " is " + state + "; only a DRAFT can be edited.");
        MvcTestResult delete = mvc.delete().uri("/api/ab-experiments/{id}", id).exchange();
        assertThat(delete).hasStatus(HttpStatus.CONFLICT);
        assertThat(JsonPath.<String>read(body(delete), "$.detail"))
                .startsWith("Experiment " + id + " is " + state + "; only a DRAFT can be deleted.");
        assertThat(state(id)).isEqualTo(state);
    }

    @Test
    void aDraftIsEditedAndDeleted() {
        String surface = ab.surface(model);
        long id = create(surface, "alice");
        String changed = JsonPath.parse(AbFixtures.experiment("renamed", surface))
                .set("$.variants[1].allocationBps", 1500)
                .set("$.variants[1].name", "bigger")
                .jsonString();

        MvcTestResult edit = mvc.put()
                .uri("/api/ab-experiments/{id}", id)
                .with(TestSecurity.as("bob", "ADMIN"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(changed)
                .exchange();

        assertThat(edit).hasStatus(HttpStatus.OK);
        AbExperimentView view = experiments.get(id);
        assertThat(view.name()).isEqualTo("renamed");
        assertThat(view.variants()).extracting(AbVariant::name).containsExactly("control", "bigger");
        assertThat(view.holdoutBps()).isEqualTo(8000);
        assertThat(view.createdBy()).isEqualTo("alice");
        assertThat(view.rowVersion()).isEqualTo(1);
        List<AbAuditEntry> history = experiments.history(id);
        assertThat(history).extracting(AbAuditEntry::action).containsExactly("created", "updated");
        assertThat(history.get(1).actor()).isEqualTo("bob");
        assertThat(history.get(1).before().variants())
                .extracting(AbVariant::name)
                .containsExactly("control", "treatment");
        assertThat(history.get(1).after().variants())
                .extracting(AbVariant::allocationBps)
                .containsExactly(500, 1500);

        MvcTestResult invalid = mvc.put()
                .uri("/api/ab-experiments/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .content(JsonPath.parse(changed)
                        .set("$.variants[1].allocationBps", 9600)
                        .jsonString())
                .exchange();
        assertThat(invalid).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(experiments.get(id).variants())
                .extracting(AbVariant::allocationBps)
                .containsExactly(500, 1500);

        assertThat(mvc.delete().uri("/api/ab-experiments/{id}", id).exchange()).hasStatus(HttpStatus.NO_CONTENT);
        assertThat(mvc.get().uri("/api/ab-experiments/{id}", id).exchange()).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ab_variant WHERE experiment_id = ?", Integer.class, id))
                .isZero();
        assertThat(auditRows(id)).isZero();
    }

    @Test
    void anUnknownExperimentIsA404() {
        assertThat(act(987654321, "start", null)).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(mvc.get().uri("/api/ab-experiments/987654321/history").exchange())
                .hasStatus(HttpStatus.NOT_FOUND);
    }

    // ---- one RUNNING per surface ----

    @Test
    void onlyOneExperimentRunsOnASurface() {
        String surface = ab.surface(model);
        long first = create(surface);
        long second = create(surface);
        long elsewhere = create(ab.surface(model));
        ok(act(first, "start", null));

        MvcTestResult refused = act(second, "start", null);

        assertThat(refused).hasStatus(HttpStatus.CONFLICT);
        String firstName = experiments.get(first).name();
        assertThat(JsonPath.<String>read(body(refused), "$.detail"))
                .isEqualTo("Experiment '" + firstName + "' (" + first + ") is already RUNNING on surface '" + surface
                        + "'; stop it before starting another there");
        assertThat(state(second)).isEqualTo("DRAFT");
        ok(act(elsewhere, "start", null));

        ok(act(first, "stop", null));
        ok(act(second, "start", null));
        assertThat(state(second)).isEqualTo("RUNNING");
    }

    @Test
    void twoConcurrentStartsOnOneSurfaceLetExactlyOneWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            String surface = ab.surface(model);
            long a = create(surface);
            long b = create(surface);
            List<Outcome> outcomes =
                    race(() -> experiments.start(a, "racer-a", null), () -> experiments.start(b, "racer-b", null));

            assertThat(outcomes).filteredOn(Outcome::won).hasSize(1);
            assertThat(outcomes)
                    .filteredOn(o -> o.error() instanceof ConflictException)
                    .hasSize(1);
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM ab_experiment e JOIN surface s ON s.id = e.surface_id"
                                    + " WHERE s.name = ? AND e.state = 'RUNNING'",
                            Integer.class,
                            surface))
                    .isEqualTo(1);
            assertThat(auditRows(a) + auditRows(b))
                    .as("two created, one started")
                    .isEqualTo(3);
        }
    }

    @Test
    void twoConcurrentTransitionsOfOneExperimentLetExactlyOneWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            long id = experimentIn("RUNNING");
            List<Outcome> outcomes = race(
                    () -> experiments.promote(id, "treatment", "racer-a", "promote it"),
                    () -> experiments.rollBackAndGet(id, "racer-b", "roll it back"));

            assertThat(outcomes).filteredOn(Outcome::won).hasSize(1);
            assertThat(outcomes)
                    .filteredOn(o -> o.error() instanceof ConflictException)
                    .hasSize(1);
            List<AbAuditEntry> history = experiments.history(id);
            assertThat(history).extracting(AbAuditEntry::action).hasSize(3).startsWith("created", "started");
            assertThat(history.get(2).before().state()).isEqualTo(AbExperimentState.RUNNING);
        }
    }

    static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    record Outcome(Object value, Throwable error) {
        boolean won() {
            return error == null;
        }
    }

    /** Runs both calls at the same moment on two threads. */
    static List<Outcome> race(Callable<?>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Callable<?> call : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return new Outcome(call.call(), null);
                    } catch (RuntimeException e) {
                        return new Outcome(null, e);
                    }
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- promote and roll back ----

    @Test
    void promotingMovesTheChampionToTheWinnersVersionAndTheSurfaceToItsScoring() {
        String promotedModel = ab.modelWithTwoVersions();
        String surface = ab.surface(promotedModel);
        mvc.put()
                .uri("/api/models/{name}/aliases/champion", promotedModel)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\": 1}")
                .exchange();
        long id = create(surface);
        ok(act(id, "start", null));

        MvcTestResult unknown = act(id, "promote", "{\"variant\": \"nobody\"}");
        assertThat(unknown).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(JsonPath.<String>read(body(unknown), "$.errors[0].field")).isEqualTo("variant");
        assertThat(JsonPath.<String>read(body(unknown), "$.errors[0].rule")).isEqualTo("exists");
        MvcTestResult missing = act(id, "promote", "{}");
        assertThat(missing).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(JsonPath.<String>read(body(missing), "$.errors[0].rule")).isEqualTo("required");
        assertThat(registry.resolve(promotedModel, "champion").version()).isEqualTo(1);

        String promoted = ok(post(
                "/api/ab-experiments/" + id + "/promote",
                "{\"variant\": \"treatment\", \"reason\": \"+3 % watch time\"}",
                "carol"));

        assertThat(JsonPath.<String>read(promoted, "$.state")).isEqualTo("PROMOTED");
        assertThat(JsonPath.<String>read(promoted, "$.winner")).isEqualTo("treatment");
        assertThat(JsonPath.<String>read(promoted, "$.outcomeReason")).isEqualTo("+3 % watch time");
        assertThat(JsonPath.<String>read(promoted, "$.stoppedAt")).isNotBlank();
        assertThat(registry.resolve(promotedModel, "champion").version()).isEqualTo(2);
        AliasMoveView move = registry.history(promotedModel, "champion").get(0);
        assertThat(move.movedBy()).isEqualTo("carol");
        assertThat(move.reason())
                .isEqualTo("A/B experiment '" + experiments.get(id).name() + "' (" + id
                        + ") promoted variant 'treatment': +3 % watch time");
        ScoringSpec scoring = json.readValue(surfaceScoring(surface), ScoringSpec.class);
        assertThat(scoring).isEqualTo(experiments.get(id).variant("treatment").scoring());
        assertThat(scoring.exponents()).isEqualTo(Map.of("y1", 2.0, "y2", 0.5));
        assertThat(scoring.lengthTransform()).isEqualTo(new LengthTransform("sigmoid", 30.0, 10.0));
    }

    @Test
    void aPromotionThatFailsHalfwayChangesNothing() {
        String promotedModel = ab.modelWithTwoVersions();
        String surface = ab.surface(promotedModel);
        long id = create(surface);
        ok(act(id, "start", null));
        int audits = auditRows(id);
        // A real failure after the alias move and the surface update: the experiment's own row refuses.
        jdbc.execute("CREATE FUNCTION ab_refuse_promotion() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN RAISE EXCEPTION 'promotion refused by test'; END $$");
        jdbc.execute("CREATE TRIGGER ab_refuse_promotion BEFORE UPDATE ON ab_experiment FOR EACH ROW"
                + " WHEN (NEW.state = 'PROMOTED' AND NEW.id = " + id + ") EXECUTE FUNCTION ab_refuse_promotion()");
        try {
            assertThatThrownBy(() -> experiments.promote(id, "treatment", "carol", "won"))
                    .hasStackTraceContaining("promotion refused by test");
        } finally {
            jdbc.execute("DROP TRIGGER ab_refuse_promotion ON ab_experiment");
            jdbc.execute("DROP FUNCTION ab_refuse_promotion()");
        }

        assertThat(state(id)).isEqualTo("RUNNING");
        assertThat(registry.aliases(promotedModel)).isEmpty();
        assertThat(json.readValue(surfaceScoring(surface), ScoringSpec.class).exponents())
                .isEqualTo(Map.of("y1", 1.0, "y2", 1.0));
        assertThat(auditRows(id)).isEqualTo(audits);

        ok(act(id, "promote", "{\"variant\": \"treatment\"}"));
        assertThat(registry.resolve(promotedModel, "champion").version()).isEqualTo(2);
    }

    @Test
    void aPromotionOfAStoppedExperimentCreatesTheChampionAliasWhenThereIsNone() {
        String promotedModel = ab.modelWithTwoVersions();
        long id = create(ab.surface(promotedModel));
        ok(act(id, "start", null));
        String stopped = ok(act(id, "stop", null));

        ok(act(id, "promote", "{\"variant\": \"control\"}"));

        assertThat(registry.resolve(promotedModel, "champion").version()).isEqualTo(1);
        assertThat(experiments.get(id).stoppedAt().toString())
                .as("promoting keeps when it stopped")
                .isEqualTo(JsonPath.read(stopped, "$.stoppedAt"));
        assertThat(registry.history(promotedModel, "champion").get(0).reason()).endsWith("promoted variant 'control'");
    }

    @Test
    void aRollbackNeedsAReason() {
        long id = experimentIn("RUNNING");

        for (String body : new String[] {null, "{}", "{\"reason\": \"   \"}"}) {
            MvcTestResult refused = act(id, "rollback", body);
            assertThat(refused).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(JsonPath.<String>read(body(refused), "$.errors[0].field"))
                    .isEqualTo("reason");
            assertThat(JsonPath.<String>read(body(refused), "$.errors[0].rule")).isEqualTo("required");
        }
        assertThat(state(id)).isEqualTo("RUNNING");
        assertThatThrownBy(() -> experiments.rollBack(id, "controller", null)).hasMessageContaining("reason");

        String rolledBack = ok(act(id, "rollback", "{\"reason\": \"play_rate dropped 4 %\"}"));
        assertThat(JsonPath.<String>read(rolledBack, "$.state")).isEqualTo("ROLLED_BACK");
        assertThat(JsonPath.<String>read(rolledBack, "$.outcomeReason")).isEqualTo("play_rate dropped 4 %");
        assertThat(JsonPath.<Map<String, Object>>read(rolledBack, "$")).doesNotContainKey("winner");
    }

    @Test
    void theControllerRollsBackThroughTheServiceAndTheReasonIsKept() {
        long id = experimentIn("RUNNING");
        experiments.rollBack(id, "ramp-controller", "guardrail breach: p99_latency_ms +35 ms > 20 ms");
        AbExperimentView view = experiments.get(id);
        assertThat(view.state()).isEqualTo(AbExperimentState.ROLLED_BACK);
        assertThat(view.outcomeReason()).isEqualTo("guardrail breach: p99_latency_ms +35 ms > 20 ms");
        AbAuditEntry last = last(experiments.history(id));
        assertThat(last.action()).isEqualTo("rolled-back");
        assertThat(last.actor()).isEqualTo("ramp-controller");
        assertThat(last.reason()).isEqualTo("guardrail breach: p99_latency_ms +35 ms > 20 ms");
        assertThatThrownBy(() -> experiments.rollBack(id, "ramp-controller", "again"))
                .isInstanceOf(ConflictException.class);
    }

    // ---- ramp ----

    @Test
    void advanceRampMovesOneStepOnlyFromTheExpectedStep() {
        long id = experimentIn("RUNNING");
        AbExperimentView started = experiments.get(id);
        assertThat(started.rampStep()).isZero();
        assertThat(started.rampPercent()).isEqualTo(5.0);
        RunningAbExperiment running = experiments.running().stream()
                .filter(r -> r.id() == id)
                .findFirst()
                .orElseThrow();
        assertThat(running.surfaceId()).isEqualTo(started.surfaceId());
        assertThat(running.rampStep()).isZero();
        assertThat(running.rampPercent()).isEqualTo(5.0);
        assertThat(running.hasNextStep()).isTrue();
        assertThat(running.rampPlan()).extracting(RampStep::minDuration).containsExactly("PT1H", "PT6H", "PT24H");
        assertThat(running.guardrails()).extracting(Guardrail::metric).containsExactly("play_rate", "p99_latency_ms");
        assertThat(running.rampStepStartedAt()).isEqualTo(started.rampStepStartedAt());
        assertThat(running.startedAt()).isEqualTo(started.startedAt());
        assertThat(running.currentStepEndsNoEarlierThan())
                .isEqualTo(started.rampStepStartedAt().plusSeconds(3600));
        int audits = auditRows(id);

        experiments.advanceRamp(id, 0, "ramp-controller", "guardrails hold after PT1H");
        experiments.advanceRamp(id, 0, "ramp-controller", "a late repeat");

        AbExperimentView stepped = experiments.get(id);
        assertThat(stepped.rampStep()).isEqualTo(1);
        assertThat(stepped.rampPercent()).isEqualTo(20.0);
        assertThat(stepped.rampStepStartedAt()).isAfter(started.rampStepStartedAt());
        assertThat(auditRows(id)).isEqualTo(audits + 1);
        AbAuditEntry entry = last(experiments.history(id));
        assertThat(entry.action()).isEqualTo("ramp-advanced");
        assertThat(entry.reason()).isEqualTo("guardrails hold after PT1H");
        assertThat(entry.before().rampStep()).isZero();
        assertThat(entry.after().rampStep()).isEqualTo(1);
        assertThat(entry.after().rampPercent()).isEqualTo(20.0);

        experiments.advanceRamp(id, 2, "ramp-controller", "from a step it is not at");
        assertThat(experiments.get(id).rampStep()).isEqualTo(1);
        experiments.advanceRamp(id, 1, "ramp-controller", null);
        assertThat(experiments.get(id).rampStep()).isEqualTo(2);
        assertThat(experiments.get(id).hasNextRampStep()).isFalse();
        experiments.advanceRamp(id, 2, "ramp-controller", "past the last step");
        assertThat(experiments.get(id).rampStep()).isEqualTo(2);
        assertThat(auditRows(id)).isEqualTo(audits + 2);

        ok(act(id, "stop", null));
        experiments.advanceRamp(id, 2, "ramp-controller", "stopped meanwhile");
        assertThat(auditRows(id)).isEqualTo(audits + 3);
        assertThat(experiments.running()).noneMatch(r -> r.id() == id);
    }

    @Test
    void concurrentAdvanceRampCallsFromOneStepMoveItOnce() throws Exception {
        long id = experimentIn("RUNNING");
        int audits = auditRows(id);
        race(
                () -> {
                    experiments.advanceRamp(id, 0, "a", null);
                    return null;
                },
                () -> {
                    experiments.advanceRamp(id, 0, "b", null);
                    return null;
                });
        assertThat(experiments.get(id).rampStep()).isEqualTo(1);
        assertThat(auditRows(id)).isEqualTo(audits + 1);
    }

    @Test
    void aManualAdvanceStopsAtTheLastStep() {
        long id = experimentIn("RUNNING");
        assertThat(JsonPath.<Integer>read(ok(act(id, "advance", "{\"reason\": \"looks fine\"}")), "$.rampStep"))
                .isEqualTo(1);
        assertThat(JsonPath.<Double>read(ok(act(id, "advance", null)), "$.rampPercent"))
                .isEqualTo(100.0);

        MvcTestResult refused = act(id, "advance", null);

        assertThat(refused).hasStatus(HttpStatus.CONFLICT);
        assertThat(JsonPath.<String>read(body(refused), "$.detail"))
                .isEqualTo("Experiment " + id + " is at the last step of its ramp plan (100 %); it stays there until"
                        + " it is stopped, promoted or rolled back");
    }

    @Test
    void anEmptyRampPlanServesTheWholeAllocationAtOnce() {
        String surface = ab.surface(model);
        String body = JsonPath.parse(AbFixtures.experiment("no-ramp", surface))
                .delete("$.rampPlan")
                .jsonString();
        long id = ((Number) JsonPath.read(body(post("/api/ab-experiments", body, null)), "$.id")).longValue();
        String started = ok(act(id, "start", null));
        assertThat(JsonPath.<Double>read(started, "$.rampPercent")).isEqualTo(100.0);
        assertThat(JsonPath.<Boolean>read(started, "$.hasNextRampStep")).isFalse();
        assertThat(act(id, "advance", null)).hasStatus(HttpStatus.CONFLICT);
    }

    // ---- audit and events ----

    @Test
    void everyChangeIsAuditedWithBeforeAndAfterAndAnnounced() {
        String surface = ab.surface(model);
        long surfaceId = ab.surfaceId(surface);
        long id = create(surface, "alice");
        assertThat(events.stream(RolloutChanged.class)).isEmpty();

        ok(post("/api/ab-experiments/" + id + "/start", "{\"reason\": \"go\"}", "bob"));
        ok(post("/api/ab-experiments/" + id + "/advance", null, "bob"));
        ok(post("/api/ab-experiments/" + id + "/stop", "{\"reason\": \"enough users\"}", "carol"));
        ok(post("/api/ab-experiments/" + id + "/promote", "{\"variant\": \"treatment\", \"reason\": \"won\"}", null));

        String history =
                ok(mvc.get().uri("/api/ab-experiments/{id}/history", id).exchange());
        assertThat(JsonPath.<List<String>>read(history, "$[*].action"))
                .containsExactly("created", "started", "ramp-advanced", "stopped", "promoted");
        assertThat(JsonPath.<List<String>>read(history, "$[*].actor"))
                .containsExactly("alice", "bob", "bob", "carol", TestSecurity.ADMIN);
        assertThat(experiments.history(id))
                .extracting(AbAuditEntry::reason)
                .containsExactly(null, "go", null, "enough users", "won");
        assertThat(JsonPath.<Map<String, Object>>read(history, "$[0]")).doesNotContainKey("before");
        assertThat(JsonPath.<List<String>>read(history, "$[*].after.state"))
                .containsExactly("DRAFT", "RUNNING", "RUNNING", "STOPPED", "PROMOTED");
        assertThat(JsonPath.<List<String>>read(history, "$[1:].before.state"))
                .containsExactly("DRAFT", "RUNNING", "RUNNING", "STOPPED");
        assertThat(JsonPath.<List<Integer>>read(history, "$[*].after.rampStep")).containsExactly(0, 0, 1, 1, 1);
        assertThat(JsonPath.<List<Double>>read(history, "$[*].after.rampPercent"))
                .containsExactly(5.0, 5.0, 20.0, 20.0, 20.0);
        assertThat(JsonPath.<List<String>>read(history, "$[0].after.variants[*].name"))
                .containsExactly("control", "treatment");
        assertThat(JsonPath.<List<Integer>>read(history, "$[0].after.variants[*].modelVersion"))
                .containsExactly(1, 2);
        assertThat(JsonPath.<String>read(history, "$[4].after.winner")).isEqualTo("treatment");
        assertThat(JsonPath.<List<String>>read(history, "$[*].at"))
                .allSatisfy(at -> assertThat(at).isNotBlank());
        assertThat(events.stream(RolloutChanged.class))
                .as("start, ramp, stop, promote")
                .containsExactly(
                        new RolloutChanged(surfaceId),
                        new RolloutChanged(surfaceId),
                        new RolloutChanged(surfaceId),
                        new RolloutChanged(surfaceId));

        long other = create(surface);
        ok(act(other, "start", null));
        ok(act(other, "rollback", "{\"reason\": \"r\"}"));
        assertThat(events.stream(RolloutChanged.class)).hasSize(6);
    }

    // ---- listing ----

    @Test
    void listsNewestFirstBySurfaceAndState() {
        String surface = ab.surface(model);
        long a = create(surface);
        long b = create(surface);
        long c = create(surface);
        ok(act(b, "start", null));

        String all =
                ok(mvc.get().uri("/api/ab-experiments?surface={s}", surface).exchange());
        assertThat(JsonPath.<List<Integer>>read(all, "$.items[*].id")).containsExactly((int) c, (int) b, (int) a);
        assertThat(JsonPath.<Integer>read(all, "$.totalItems")).isEqualTo(3);
        String running = ok(mvc.get()
                .uri("/api/ab-experiments?surface={s}&state=running", surface)
                .exchange());
        assertThat(JsonPath.<List<Integer>>read(running, "$.items[*].id")).containsExactly((int) b);
        assertThat(JsonPath.<List<String>>read(running, "$.items[0].transitions"))
                .containsExactly("stop", "promote", "rollback", "advance");
        String paged = ok(mvc.get()
                .uri("/api/ab-experiments?surface={s}&page=1&size=2", surface)
                .exchange());
        assertThat(JsonPath.<List<Integer>>read(paged, "$.items[*].id")).containsExactly((int) a);
        assertThat(JsonPath.<Integer>read(paged, "$.totalPages")).isEqualTo(2);

        MvcTestResult bad = mvc.get().uri("/api/ab-experiments?state=WINNING").exchange();
        assertThat(bad).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(JsonPath.<String>read(body(bad), "$.errors[0].field")).isEqualTo("state");
        assertThat(mvc.get().uri("/api/ab-experiments?size=0").exchange()).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void anExperimentWithoutGuardrailsOrRampIsReadAtAFixedHorizonUnlessItSaysOtherwise() {
        String surface = ab.surface(model);
        var plain = JsonPath.parse(AbFixtures.experiment(ExperimentFixtures.unique("exp"), surface));
        plain.set("$.guardrails", List.of());
        MvcTestResult fixed = mvc.post()
                .uri("/api/ab-experiments")
                .contentType(MediaType.APPLICATION_JSON)
                .content(plain.jsonString())
                .exchange();
        assertThat(JsonPath.<String>read(body(fixed), "$.analysis")).isEqualTo("fixed");
        plain.put("$", "name", ExperimentFixtures.unique("exp"));
        plain.put("$", "analysis", "sequential");
        plain.put("$", "correction", "benjamini-hochberg");
        plain.put("$", "preExposure", "P0D");
        plain.put("$", "plannedUsersPerVariant", 20000);
        MvcTestResult chosen = mvc.post()
                .uri("/api/ab-experiments")
                .contentType(MediaType.APPLICATION_JSON)
                .content(plain.jsonString())
                .exchange();
        String view = body(chosen);
        assertThat(JsonPath.<String>read(view, "$.analysis")).isEqualTo("sequential");
        assertThat(JsonPath.<String>read(view, "$.correction")).isEqualTo("benjamini-hochberg");
        assertThat(JsonPath.<String>read(view, "$.preExposure")).isEqualTo("P0D");
        assertThat(JsonPath.<Integer>read(view, "$.plannedUsersPerVariant")).isEqualTo(20000);
    }

    @Test
    void theViewShowsTheWholeConfiguration() {
        String surface = ab.surface(model);
        long id = create(surface, "dana");
        String view = ok(mvc.get().uri("/api/ab-experiments/{id}", id).exchange());
        assertThat(JsonPath.<String>read(view, "$.surface")).isEqualTo(surface);
        assertThat(JsonPath.<String>read(view, "$.modelName")).isEqualTo(model);
        assertThat(JsonPath.<String>read(view, "$.state")).isEqualTo("DRAFT");
        assertThat(JsonPath.<String>read(view, "$.targetMetric")).isEqualTo("watch_time_per_user");
        assertThat(JsonPath.<Integer>read(view, "$.holdoutBps")).isEqualTo(9000);
        assertThat(JsonPath.<Integer>read(view, "$.rampStep")).isZero();
        assertThat(JsonPath.<Map<String, Object>>read(view, "$")).doesNotContainKeys("rampStepStartedAt", "startedAt");
        assertThat(JsonPath.<Boolean>read(view, "$.variants[0].control")).isTrue();
        assertThat(JsonPath.<Integer>read(view, "$.variants[1].position")).isEqualTo(1);
        assertThat(JsonPath.<Double>read(view, "$.guardrails[1].maxMillis")).isEqualTo(20.0);
        assertThat(JsonPath.<List<String>>read(view, "$.transitions")).containsExactly("start");
        assertThat(JsonPath.<String>read(view, "$.createdBy")).isEqualTo("dana");
        // guardrails and a ramp plan: the supervisor reads it every check, so it is sequential
        assertThat(JsonPath.<String>read(view, "$.analysis")).isEqualTo("sequential");
        assertThat(JsonPath.<String>read(view, "$.correction")).isEqualTo("holm");
        assertThat(JsonPath.<String>read(view, "$.preExposure")).isEqualTo("P14D");
        assertThat(JsonPath.<Map<String, Object>>read(view, "$").keySet())
                .containsExactlyInAnyOrder(
                        "id",
                        "name",
                        "surface",
                        "surfaceId",
                        "modelName",
                        "description",
                        "state",
                        "salt",
                        "targetMetric",
                        "guardrails",
                        "rampPlan",
                        "rampStep",
                        "rampPercent",
                        "hasNextRampStep",
                        "variants",
                        "holdoutBps",
                        "createdBy",
                        "createdAt",
                        "updatedAt",
                        "rowVersion",
                        "transitions",
                        "analysis",
                        "correction",
                        "preExposure");
    }
}
