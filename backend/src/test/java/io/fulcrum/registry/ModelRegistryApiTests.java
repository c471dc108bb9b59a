package io.fulcrum.registry;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.experiment.RunManagement;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@FulcrumSpringTest
@RecordApplicationEvents
class ModelRegistryApiTests {

    /** Two SUCCEEDED runs (two seeds of a small MMoE), trained once for every test here. */
    private static List<Long> trainedRuns;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ArtifactStore artifacts;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ApplicationEvents events;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    synchronized long trainedRun(int index) {
        if (trainedRuns == null) {
            List<Long> ids = new ArrayList<>();
            for (long seed = 1; seed <= 2; seed++) {
                String training = QUICK.replace("}", ", \"seed\": " + seed + "}");
                ids.add(fx.create("/api/runs", fx.run(SMALL_MMOE, training, "")));
            }
            for (long id : ids) {
                String done = fx.awaitRun(id, Duration.ofSeconds(180), inState("SUCCEEDED", "FAILED", "CANCELLED"));
                assertThat(JsonPath.<String>read(done, "$.state")).as(done).isEqualTo("SUCCEEDED");
            }
            trainedRuns = ids;
        }
        return trainedRuns.get(index);
    }

    MvcTestResult register(String model, String json, String actor) {
        var request = mvc.post()
                .uri("/api/models/{name}/versions", model)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json);
        if (actor != null) {
            request = request.with(TestSecurity.as(actor, "ADMIN"));
        }
        return request.exchange();
    }

    MvcTestResult register(String model, long runId) {
        return register(model, "{\"runId\": " + runId + "}", null);
    }

    int registerVersion(String model, long runId) {
        MvcTestResult result = register(model, runId);
        assertThat(result).hasStatus(HttpStatus.CREATED);
        return JsonPath.read(body(result), "$.version");
    }

    MvcTestResult moveAlias(String model, String alias, String json, String actor) {
        var request = mvc.put()
                .uri("/api/models/{name}/aliases/{alias}", model, alias)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json);
        if (actor != null) {
            request = request.with(TestSecurity.as(actor, "ADMIN"));
        }
        return request.exchange();
    }

    int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    int registryArtifacts() {
        return count("SELECT count(*) FROM artifact WHERE key LIKE 'models/%'");
    }

    int storedVersions() {
        return count("SELECT count(*) FROM model_version");
    }

    int modelsNamed(String name) {
        return count("SELECT count(*) FROM registered_model WHERE lower(name) = lower(?)", name);
    }

    static void hasViolation(MvcTestResult result, String field, String rule) {
        List<Map<String, String>> errors = JsonPath.read(body(result), "$.errors");
        assertThat(errors)
                .as(body(result))
                .anySatisfy(e -> assertThat(e).containsEntry("field", field).containsEntry("rule", rule));
    }

    @Test
    void registersAVersionWithTheRunsSpecMetricsAndLineage() {
        long runId = trainedRun(0);
        String run = fx.get("/api/runs/{id}", runId);
        String name = unique("ranker");

        MvcTestResult result = register(name, """
                {"runId": %d, "description": "first cut"}""".formatted(runId), "alice");

        assertThat(result).hasStatus(HttpStatus.CREATED).hasHeader("Location", "/api/models/" + name + "/versions/1");
        String version = body(result);
        long modelId = count("SELECT id FROM registered_model WHERE name = ?", name);
        assertThat(JsonPath.<String>read(version, "$.model")).isEqualTo(name);
        assertThat(JsonPath.<Integer>read(version, "$.version")).isEqualTo(1);
        assertThat(JsonPath.<Integer>read(version, "$.runId")).isEqualTo((int) runId);
        assertThat(JsonPath.<String>read(version, "$.description")).isEqualTo("first cut");
        assertThat(JsonPath.<String>read(version, "$.createdBy")).isEqualTo("alice");
        assertThat(JsonPath.<List<String>>read(version, "$.aliases")).isEmpty();
        assertThat(JsonPath.<String>read(version, "$.summary.architecture")).isEqualTo("mmoe");
        assertThat(JsonPath.<List<String>>read(version, "$.summary.tasks")).containsExactly("y1", "y2");
        assertThat(JsonPath.<Integer>read(version, "$.summary.denseInputs")).isEqualTo(8);
        assertThat(JsonPath.<Object>read(version, "$.summary.parameters"))
                .isEqualTo(JsonPath.read(run, "$.result.parameters"));
        assertThat(JsonPath.<Object>read(version, "$.spec")).isEqualTo(JsonPath.read(run, "$.model"));
        assertThat(JsonPath.<Object>read(version, "$.tasks")).isEqualTo(JsonPath.read(run, "$.tasks"));
        assertThat(JsonPath.<Object>read(version, "$.metrics")).isEqualTo(JsonPath.read(run, "$.result"));
        assertThat(JsonPath.<Integer>read(version, "$.taskGroupId")).isEqualTo((int) fx.taskGroup());
        assertThat(JsonPath.<Integer>read(version, "$.datasetId")).isEqualTo((int) fx.dataset());
        assertThat(JsonPath.<Integer>read(version, "$.lineage.runId")).isEqualTo((int) runId);
        assertThat(JsonPath.<String>read(version, "$.lineage.configHash"))
                .isEqualTo(jdbc.queryForObject("SELECT config_hash FROM run WHERE id = ?", String.class, runId));
        assertThat(JsonPath.<Integer>read(version, "$.lineage.attempt")).isEqualTo(1);
        assertThat(JsonPath.<Object>read(version, "$.lineage.workerId")).isEqualTo(JsonPath.read(run, "$.workerId"));
        assertThat(JsonPath.<Object>read(version, "$.lineage.training")).isEqualTo(JsonPath.read(run, "$.training"));
        assertThat(JsonPath.<Object>read(version, "$.lineage.lossWeights"))
                .isEqualTo(JsonPath.read(run, "$.lossWeights"));
        String runModelKey = RunManagement.artifactPrefix(runId) + "model";
        assertThat(JsonPath.<String>read(version, "$.artifact.key")).isEqualTo("models/" + modelId + "/versions/1");
        assertThat(JsonPath.<String>read(version, "$.artifact.sha256"))
                .isEqualTo(artifacts.find(runModelKey).orElseThrow().sha256());
        assertThat(artifacts.find("models/" + modelId + "/versions/1")).isPresent();
        assertThat(events.stream(ModelVersionRegistered.class))
                .containsExactly(new ModelVersionRegistered(name, 1, runId));

        assertThat(registerVersion(name, trainedRun(1))).isEqualTo(2);

        String model = fx.get("/api/models/{name}", name);
        assertThat(JsonPath.<String>read(model, "$.description")).isEmpty();
        assertThat(JsonPath.<Integer>read(model, "$.latestVersion.version")).isEqualTo(2);
        assertThat(JsonPath.<Integer>read(model, "$.latestVersion.runId")).isEqualTo((int) trainedRun(1));
        assertThat(JsonPath.<String>read(model, "$.latestVersion.testMetrics.y1.metric"))
                .isEqualTo("MSE");
        assertThat(JsonPath.<List<?>>read(model, "$.aliases")).isEmpty();
        String listed = fx.get("/api/models?size=200");
        assertThat(JsonPath.<List<Integer>>read(listed, "$.items[?(@.name == '" + name + "')].latestVersion.version"))
                .containsExactly(2);
        String versions = fx.get("/api/models/{name}/versions", name);
        assertThat(JsonPath.<List<Integer>>read(versions, "$.items[*].version")).containsExactly(2, 1);
        assertThat(JsonPath.<Integer>read(versions, "$.totalItems")).isEqualTo(2);
        assertThat(JsonPath.<String>read(fx.get("/api/models/{name}/versions/1", name), "$.createdBy"))
                .isEqualTo("alice");
        assertThat(JsonPath.<String>read(fx.get("/api/models/{name}/versions/2", name), "$.createdBy"))
                .isEqualTo(TestSecurity.ADMIN);
    }

    @Test
    void theCopiedArtifactPredictsExactlyLikeTheRunsModel(@TempDir Path tmp) {
        long runId = trainedRun(0);
        String name = unique("copy");
        registerVersion(name, runId);

        registry.extractArtifact(name, 1, tmp.resolve("registered"));
        artifacts.extractTo(RunManagement.artifactPrefix(runId) + "model", tmp.resolve("run"));

        Random random = new Random(5);
        int rows = 64;
        float[] dense = new float[rows * 8];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) random.nextGaussian();
        }
        try (MtlModel registered = Checkpoint.load(tmp.resolve("registered"));
                MtlModel trained = Checkpoint.load(tmp.resolve("run"))) {
            Predictions fromRegistry = registered.predict(rows, dense, new long[0]);
            Predictions fromRun = trained.predict(rows, dense, new long[0]);
            assertThat(fromRegistry.tasks()).containsExactly("y1", "y2");
            for (String task : fromRun.tasks()) {
                assertThat(fromRegistry.of(task)).containsExactly(fromRun.of(task));
                assertThat(fromRegistry.of(task))
                        .as("a trained model, not zeros")
                        .isNotEqualTo(new float[rows]);
            }
        }
    }

    @Test
    void downloadsAVersionsArtifactAsAZip() throws IOException {
        String name = unique("download");
        registerVersion(name, trainedRun(0));
        String sha256 = JsonPath.read(fx.get("/api/models/{name}/versions/latest", name), "$.artifact.sha256");

        MvcTestResult result = mvc.get()
                .uri("/api/models/{name}/versions/latest/artifact", name)
                .exchange();

        assertThat(result).hasStatus(HttpStatus.OK).hasContentType("application/zip");
        assertThat(result).hasHeader("Content-Disposition", "attachment; filename=\"" + name + "-v1.zip\"");
        byte[] zip = result.getResponse().getContentAsByteArray();
        assertThat(result).hasHeader("Content-Length", Integer.toString(zip.length));
        assertThat(sha256(zip)).isEqualTo(sha256);
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        assertThat(entries).contains("spec.json", "preprocessing.json", "checkpoint.json", "parameters.bin");
    }

    @Test
    void aliasesMoveAndKeepAHistoryOfEveryMove() {
        String name = unique("aliased");
        registerVersion(name, trainedRun(0));
        registerVersion(name, trainedRun(1));

        MvcTestResult created = moveAlias(name, "champion", """
                {"version": 1, "reason": "first model"}""", "alice");
        assertThat(created).hasStatus(HttpStatus.OK);
        assertThat(created).bodyJson().extractingPath("$.alias").isEqualTo("champion");
        assertThat(created).bodyJson().extractingPath("$.version").isEqualTo(1);
        assertThat(moveAlias(name, "champion", """
                        {"version": 2, "reason": "better on y1"}""", "bob"))
                .bodyJson()
                .extractingPath("$.version")
                .isEqualTo(2);
        assertThat(moveAlias(name, "challenger", "{\"version\": 1}", null)).hasStatus(HttpStatus.OK);
        assertThat(moveAlias(name, "champion", "{\"version\": 2}", "bob"))
                .as("pointing it where it points records nothing")
                .hasStatus(HttpStatus.OK);

        String aliases = fx.get("/api/models/{name}/aliases", name);
        assertThat(JsonPath.<List<String>>read(aliases, "$[*].alias")).containsExactly("challenger", "champion");
        assertThat(JsonPath.<List<Integer>>read(aliases, "$[*].version")).containsExactly(1, 2);
        assertThat(JsonPath.<Integer>read(fx.get("/api/models/{name}/versions/champion", name), "$.version"))
                .isEqualTo(2);
        assertThat(JsonPath.<List<String>>read(fx.get("/api/models/{name}/versions/1", name), "$.aliases"))
                .containsExactly("challenger");
        assertThat(registry.resolve(name, "champion").version()).isEqualTo(2);
        assertThat(registry.resolve(name, "challenger").version()).isEqualTo(1);
        assertThat(registry.resolve(name, "latest").version()).isEqualTo(2);
        assertThat(registry.resolve(name.toUpperCase(), "1").aliases()).containsExactly("challenger");

        assertThat(mvc.delete()
                        .uri("/api/models/{name}/aliases/champion?reason=rollback", name)
                        .with(TestSecurity.as("carol", "ADMIN"))
                        .exchange())
                .hasStatus(HttpStatus.NO_CONTENT);

        assertThat(JsonPath.<List<String>>read(fx.get("/api/models/{name}/aliases", name), "$[*].alias"))
                .containsExactly("challenger");
        String history = fx.get("/api/models/{name}/aliases/champion/history", name);
        assertThat(JsonPath.<List<Integer>>read(history, "$[*].fromVersion")).containsExactly(2, 1, null);
        assertThat(JsonPath.<List<Integer>>read(history, "$[*].toVersion")).containsExactly(null, 2, 1);
        assertThat(JsonPath.<List<String>>read(history, "$[*].movedBy")).containsExactly("carol", "bob", "alice");
        assertThat(JsonPath.<List<String>>read(history, "$[*].reason"))
                .containsExactly("rollback", "better on y1", "first model");
        assertThat(JsonPath.<List<String>>read(history, "$[*].movedAt"))
                .allSatisfy(t -> assertThat(t).isNotBlank());
        assertThat(JsonPath.<List<String>>read(
                        fx.get("/api/models/{name}/aliases/challenger/history", name), "$[*].movedBy"))
                .containsExactly(TestSecurity.ADMIN);
        assertThat(events.stream(ModelAliasMoved.class))
                .containsExactly(
                        new ModelAliasMoved(name, "champion", null, 1, "alice"),
                        new ModelAliasMoved(name, "champion", 1, 2, "bob"),
                        new ModelAliasMoved(name, "challenger", null, 1, TestSecurity.ADMIN),
                        new ModelAliasMoved(name, "champion", 2, null, "carol"));
    }

    @Test
    void deletesAModelOnlyOnceNoAliasPointsIntoIt() {
        String name = unique("deleted");
        long runId = trainedRun(0);
        registerVersion(name, runId);
        long modelId = count("SELECT id FROM registered_model WHERE name = ?", name);
        moveAlias(name, "champion", "{\"version\": 1}", null);

        assertThat(mvc.delete().uri("/api/models/{name}", name).exchange()).hasStatus(HttpStatus.CONFLICT);
        assertThat(fx.get("/api/models/{name}", name)).contains("champion");

        mvc.delete().uri("/api/models/{name}/aliases/champion", name).exchange();
        assertThat(mvc.delete().uri("/api/models/{name}", name).exchange()).hasStatus(HttpStatus.NO_CONTENT);

        assertThat(mvc.get().uri("/api/models/{name}", name).exchange()).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(count("SELECT count(*) FROM model_version WHERE model_id = ?", modelId))
                .isZero();
        assertThat(count("SELECT count(*) FROM model_alias_move WHERE model_id = ?", modelId))
                .isZero();
        assertThat(count("SELECT count(*) FROM artifact WHERE key LIKE ?", "models/" + modelId + "/%"))
                .isZero();
        assertThat(artifacts.find(RunManagement.artifactPrefix(runId) + "model"))
                .as("the run keeps its own model")
                .isPresent();
    }

    @Test
    void aRegisteredRunCannotBeDeleted() {
        long runId = trainedRun(1);
        registerVersion(unique("pinned"), runId);

        assertThatThrownBy(() -> jdbc.update("DELETE FROM run WHERE id = ?", runId))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aFailedRegistrationLeavesNoRowAndNoArtifact() {
        long runId = trainedRun(0);
        String name = unique("failing");
        jdbc.execute("""
                CREATE FUNCTION refuse_test_registration() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.description = 'refuse me' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
                  RETURN NEW;
                END $$""");
        jdbc.execute("CREATE TRIGGER refuse_test_registration BEFORE INSERT ON model_version"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_test_registration()");
        try {
            int artifactsBefore = registryArtifacts();
            int versionsBefore = storedVersions();

            assertThatThrownBy(() -> registry.register(name, new VersionRequest(runId, "refuse me"), "alice"))
                    .hasStackTraceContaining("refused by the test trigger");

            assertThat(modelsNamed(name)).as("the model it created is gone too").isZero();
            assertThat(storedVersions()).isEqualTo(versionsBefore);
            assertThat(registryArtifacts()).as("the copied artifact is deleted").isEqualTo(artifactsBefore);
            assertThat(events.stream(ModelVersionRegistered.class)).isEmpty();
        } finally {
            jdbc.execute("DROP TRIGGER refuse_test_registration ON model_version");
            jdbc.execute("DROP FUNCTION refuse_test_registration()");
        }
        assertThat(registerVersion(name, runId)).isEqualTo(1);
    }

    @Test
    void concurrentRegistrationsIntoANewModelNumberTheirVersionsOneAfterTheOther() throws Exception {
        String name = unique("racing");
        List<Long> runIds = List.of(trainedRun(0), trainedRun(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ModelVersionView>> registered = new ArrayList<>();
            for (long runId : runIds) {
                registered.add(pool.submit(() -> {
                    start.await();
                    return registry.register(name, new VersionRequest(runId, null), "racer");
                }));
            }
            start.countDown();
            List<Integer> numbers = new ArrayList<>();
            for (Future<ModelVersionView> f : registered) {
                numbers.add(f.get(60, TimeUnit.SECONDS).version());
            }
            assertThat(numbers).containsExactlyInAnyOrder(1, 2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(modelsNamed(name)).isEqualTo(1);
        assertThat(JsonPath.<List<Integer>>read(fx.get("/api/models/{name}/versions", name), "$.items[*].runId"))
                .containsExactlyInAnyOrderElementsOf(
                        runIds.stream().map(Long::intValue).toList());
    }

    @Test
    void documentsTheRegistryWithOpenApi() {
        MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.paths['/api/models/{name}/versions'].post.description")
                .asString()
                .contains("Creates the model");
        assertThat(result)
                .bodyJson()
                .extractingPath(
                        "$.paths['/api/models/{name}/versions/{version}/artifact'].get.responses['200'].content")
                .asMap()
                .containsKey("application/zip");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.paths['/api/models/{name}/aliases/{alias}/history'].get")
                .isNotNull();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.components.schemas.RegisteredModel")
                .isNotNull();
    }

    @Nested
    class Refusing {

        MvcTestResult refusedRegistration(String name, String json, HttpStatus status) {
            int versionsBefore = storedVersions();
            int artifactsBefore = registryArtifacts();
            long eventsBefore = events.stream(ModelVersionRegistered.class).count();
            MvcTestResult result = register(name, json, null);
            assertThat(result).hasStatus(status);
            assertThat(storedVersions()).as("no version stored").isEqualTo(versionsBefore);
            assertThat(registryArtifacts()).as("no artifact stored").isEqualTo(artifactsBefore);
            assertThat(events.stream(ModelVersionRegistered.class)).hasSize((int) eventsBefore);
            return result;
        }

        @Test
        void anUnknownRun() {
            String name = unique("unknown-run");
            hasViolation(
                    refusedRegistration(name, "{\"runId\": 987654321}", HttpStatus.BAD_REQUEST), "runId", "exists");
            assertThat(modelsNamed(name)).as("the model is not created").isZero();
        }

        @Test
        void aMissingRunId() {
            hasViolation(
                    refusedRegistration(unique("no-run"), "{\"description\": \"x\"}", HttpStatus.BAD_REQUEST),
                    "runId",
                    "required");
        }

        @Test
        void aRunThatHasNotSucceeded() {
            long queued = fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, """
                    "resources": {"device": "gpu"}"""));
            try {
                String name = unique("queued-run");
                hasViolation(
                        refusedRegistration(name, "{\"runId\": " + queued + "}", HttpStatus.BAD_REQUEST),
                        "runId",
                        "succeeded");
                assertThat(modelsNamed(name)).isZero();
            } finally {
                mvc.post().uri("/api/runs/{id}/cancel", queued).exchange();
            }
        }

        @Test
        void badModelNamesAndDescriptions() {
            long runId = trainedRun(0);
            hasViolation(
                    refusedRegistration("-leading-dash", "{\"runId\": " + runId + "}", HttpStatus.BAD_REQUEST),
                    "name",
                    "pattern");
            hasViolation(
                    refusedRegistration("has space", "{\"runId\": " + runId + "}", HttpStatus.BAD_REQUEST),
                    "name",
                    "pattern");
            hasViolation(
                    refusedRegistration("m".repeat(101), "{\"runId\": " + runId + "}", HttpStatus.BAD_REQUEST),
                    "name",
                    "max-length");
            MvcTestResult both =
                    refusedRegistration("bad name!", """
                    {"runId": 987654321, "description": "%s"}""".formatted("d".repeat(2001)), HttpStatus.BAD_REQUEST);
            hasViolation(both, "name", "pattern");
            hasViolation(both, "description", "max-length");
            hasViolation(both, "runId", "exists");
            assertThat(modelsNamed("bad name!")).isZero();

            MvcTestResult blank = fx.post("/api/models", "{\"name\": \"  \"}");
            assertThat(blank).hasStatus(HttpStatus.BAD_REQUEST);
            hasViolation(blank, "name", "required");
        }

        @Test
        void theSameRunTwiceInOneModel() {
            String name = unique("twice");
            long runId = trainedRun(0);
            registerVersion(name, runId);

            MvcTestResult again = refusedRegistration(name, "{\"runId\": " + runId + "}", HttpStatus.CONFLICT);

            hasViolation(again, "runId", "unique");
            assertThat(count(
                            "SELECT count(*) FROM model_version v JOIN registered_model m ON m.id = v.model_id"
                                    + " WHERE m.name = ?",
                            name))
                    .isEqualTo(1);
            assertThat(registerVersion(unique("other"), runId))
                    .as("another model may take it")
                    .isEqualTo(1);
        }

        @Test
        void aTakenModelNameRegardlessOfCase() {
            String name = unique("Taken");
            MvcTestResult created = fx.post("/api/models", """
                    {"name": "%s", "description": "ranks videos"}""".formatted(name));
            assertThat(created).hasStatus(HttpStatus.CREATED).hasHeader("Location", "/api/models/" + name);
            assertThat(created).bodyJson().extractingPath("$.description").isEqualTo("ranks videos");

            MvcTestResult clash = fx.post("/api/models", "{\"name\": \"%s\"}".formatted(name.toLowerCase()));

            assertThat(clash).hasStatus(HttpStatus.CONFLICT);
            hasViolation(clash, "name", "unique");
            assertThat(modelsNamed(name)).isEqualTo(1);
        }

        @Test
        void badAliasesAndVersions() {
            String name = unique("alias-rules");
            registerVersion(name, trainedRun(0));

            hasViolation(moveAlias(name, "Champion", "{\"version\": 1}", null), "alias", "pattern");
            hasViolation(moveAlias(name, "latest", "{\"version\": 1}", null), "alias", "reserved");
            hasViolation(moveAlias(name, "42", "{\"version\": 1}", null), "alias", "reserved");
            hasViolation(moveAlias(name, "a".repeat(41), "{\"version\": 1}", null), "alias", "max-length");
            hasViolation(moveAlias(name, "champion", "{}", null), "version", "required");
            hasViolation(moveAlias(name, "champion", "{\"version\": 2}", null), "version", "exists");
            hasViolation(
                    moveAlias(
                            name, "champion", "{\"version\": 1, \"reason\": \"%s\"}".formatted("r".repeat(501)), null),
                    "reason",
                    "max-length");
            assertThat(moveAlias(name, "champion", "{\"version\": 1}", null)).hasStatus(HttpStatus.OK);
            hasViolation(
                    mvc.delete().uri("/api/models/{name}/aliases/latest", name).exchange(), "alias", "reserved");
            assertThat(mvc.delete()
                            .uri("/api/models/{name}/aliases/nobody", name)
                            .exchange())
                    .hasStatus(HttpStatus.NOT_FOUND);

            assertThat(count(
                            "SELECT count(*) FROM model_alias_move a JOIN registered_model m ON m.id = a.model_id"
                                    + " WHERE m.name = ?",
                            name))
                    .as("only the one good move")
                    .isEqualTo(1);
            assertThat(events.stream(ModelAliasMoved.class)).hasSize(1);
        }

        @Test
        void unknownModelsVersionsAndAliases() {
            String name = unique("empty");
            assertThat(fx.post("/api/models", "{\"name\": \"%s\"}".formatted(name)))
                    .hasStatus(HttpStatus.CREATED);

            for (String uri : List.of(
                    "/api/models/no-such-model",
                    "/api/models/no-such-model/versions",
                    "/api/models/no-such-model/aliases",
                    "/api/models/" + name + "/versions/1",
                    "/api/models/" + name + "/versions/latest",
                    "/api/models/" + name + "/versions/champion",
                    "/api/models/" + name + "/versions/1/artifact",
                    "/api/models/" + name + "/aliases/champion/history")) {
                MvcTestResult result = mvc.get().uri(uri).exchange();
                assertThat(result).as(uri).hasStatus(HttpStatus.NOT_FOUND);
                assertThat(result).as(uri).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
            }
            assertThat(mvc.delete().uri("/api/models/no-such-model").exchange()).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(moveAlias("no-such-model", "champion", "{\"version\": 1}", null))
                    .hasStatus(HttpStatus.NOT_FOUND);
            assertThat(fx.get("/api/models/{name}", name))
                    .as("no latest version while there is none")
                    .doesNotContain("latestVersion");
        }

        @Test
        void badPaging() {
            MvcTestResult result = mvc.get().uri("/api/models?size=0").exchange();
            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            hasViolation(result, "size", "range");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
