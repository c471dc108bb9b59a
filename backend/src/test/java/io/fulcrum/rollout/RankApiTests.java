package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.system.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import tools.jackson.databind.JsonNode;

/**
 * The ranking endpoint through the real HTTP stack, on tiny PLE models the embedded worker trained
 * on simulated video data and the registry holds as versions 1 and 2.
 */
@FulcrumSpringTest
class RankApiTests {

    static final String SCORING = """
            {"exponents": {"vtr": 1.0, "vcr": 0.5}, "lengthTransform": {"type": "log", "scale": 60}}""";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog eventLog;

    @Autowired
    io.fulcrum.rollout.internal.ExposureLog exposureLog;

    @Autowired
    ModelRegistry registry;

    @Autowired
    DatasetManagement datasets;

    @Autowired
    ApplicationEventPublisher events;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    ServingFixtures fx;
    final HttpClient http = HttpClient.newHttpClient();
    private String servingToken;

    String servingToken() {
        if (servingToken == null) {
            servingToken = TestSecurity.servingToken(context);
        }
        return servingToken;
    }

    @BeforeEach
    void fixtures() {
        fx = new ServingFixtures(mvc);
    }

    record Answer(int status, JsonNode json) {}

    Answer post(Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/rank"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + servingToken())
                .POST(HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), Json.MAPPER.readTree(response.body()));
    }

    static Map<String, Object> rankBody(
            String surface, String user, int userIndex, List<Integer> videos, Integer limit) {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int v : videos) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("itemId", "v-" + v);
            c.put("features", ServingFixtures.item(v));
            c.put("videoLength", 20.0 + 7 * v);
            candidates.add(c);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("surface", surface);
        body.put("userId", user);
        body.put("context", ServingFixtures.context(userIndex));
        body.put("candidates", candidates);
        if (limit != null) {
            body.put("limit", limit);
        }
        return body;
    }

    int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    /**
     * What the model itself predicts for the candidates, loaded apart from serving and fed the ids
     * training used (each value's text looked up in the dataset's vocabulary): what serving must match.
     */
    Predictions direct(String model, int version, int user, List<Integer> videos, Path dir) {
        registry.extractArtifact(model, version, dir);
        try (MtlModel m = Checkpoint.load(dir)) {
            ModelSpec.Inputs inputs = m.spec().inputs();
            List<String> names = inputs.categorical().stream()
                    .map(ModelSpec.CategoricalFeature::name)
                    .toList();
            Map<String, List<String>> text = datasets.categoricalValues(fx.dataset(), names);
            int n = videos.size();
            float[] dense = new float[n * inputs.dense().size()];
            long[] ids = new long[n * names.size()];
            for (int i = 0; i < n; i++) {
                Map<String, Object> all = new HashMap<>(ServingFixtures.context(user));
                all.putAll(ServingFixtures.item(videos.get(i)));
                for (int j = 0; j < inputs.dense().size(); j++) {
                    dense[i * inputs.dense().size() + j] =
                            ((Number) all.get(inputs.dense().get(j))).floatValue();
                }
                for (int c = 0; c < names.size(); c++) {
                    ids[i * names.size() + c] =
                            text.get(names.get(c)).indexOf(all.get(names.get(c)).toString());
                }
            }
            return m.predict(n, dense, ids);
        }
    }

    @Test
    void ranksOverHttpAsTheModelAndFormulaSayAndLogsTheRequestWithItsExposures(@TempDir Path tmp) throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, SCORING);
        List<Integer> videos = List.of(3, 14, 15, 9, 26, 5, 35, 8, 9 + 70, 32, 38, 46);

        Answer answer = post(rankBody(surface, "user-7", 7, videos, 5));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.has("experimentId"))
                .as("explicit null on the champion route")
                .isTrue();
        assertThat(json.get("experimentId").isNull()).isTrue();
        assertThat(json.get("variant").isNull()).isTrue();
        assertThat(json.get("surface").asString()).isEqualTo(surface);
        assertThat(json.at("/model/name").asString()).isEqualTo(model);
        assertThat(json.at("/model/version").asInt()).isEqualTo(1);
        assertThat(json.get("oovValues").asInt()).isZero();

        // expected: the model's own predictions, combined by hand as vtr^1 · vcr^0.5 · ln(1 + length / 60)
        Predictions p = direct(model, 1, 7, videos, tmp.resolve("v1"));
        List<Integer> order = IntStream.range(0, videos.size()).boxed().toList();
        double[] expected = new double[videos.size()];
        for (int i = 0; i < videos.size(); i++) {
            double vtr = Math.max(p.of("vtr")[i], 1e-6);
            double vcr = Math.max(p.of("vcr")[i], 1e-6);
            expected[i] = vtr * Math.sqrt(vcr) * Math.log(1 + (20.0 + 7 * videos.get(i)) / 60);
        }
        List<Integer> best = order.stream()
                .sorted(Comparator.comparingDouble((Integer i) -> -expected[i]))
                .limit(5)
                .toList();
        JsonNode items = json.get("items");
        assertThat(items).hasSize(5);
        for (int r = 0; r < 5; r++) {
            int i = best.get(r);
            JsonNode item = items.get(r);
            assertThat(item.get("rank").asInt()).isEqualTo(r + 1);
            assertThat(item.get("itemId").asString()).isEqualTo("v-" + videos.get(i));
            assertThat(item.get("score").asDouble()).isCloseTo(expected[i], within(1e-6 * expected[i]));
            assertThat(item.at("/predictions/vtr").floatValue()).isEqualTo(p.of("vtr")[i]);
            assertThat(item.at("/predictions/vcr").floatValue()).isEqualTo(p.of("vcr")[i]);
        }

        UUID requestId = UUID.fromString(json.get("requestId").asString());
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM rank_request WHERE request_id = ?", requestId);
        assertThat(row.get("surface_id")).isEqualTo(fx.surfaceId(surface));
        assertThat(row.get("experiment_id")).isNull();
        assertThat(row.get("variant")).isNull();
        assertThat(row.get("user_id")).isEqualTo("user-7");
        assertThat(row.get("model_name")).isEqualTo(model);
        assertThat(row.get("model_version")).isEqualTo(1);
        assertThat(row.get("candidates")).isEqualTo(12);
        assertThat(row.get("returned")).isEqualTo(5);
        assertThat(row.get("oov_values")).isEqualTo(0);
        assertThat((Integer) row.get("latency_micros")).isPositive();
        exposureLog.flush(); // exposures are written off the request path, in batches
        List<Map<String, Object>> exposures = jdbc.queryForList(
                "SELECT event_id, type, user_id, item_id FROM ab_event WHERE request_id = ? ORDER BY event_id",
                requestId);
        assertThat(exposures)
                .extracting(e -> e.get("event_id"), e -> e.get("type"), e -> e.get("user_id"), e -> e.get("item_id"))
                .containsExactly(IntStream.rangeClosed(1, 5)
                        .mapToObj(r ->
                                tuple(requestId + ":" + r, "exposure", "user-7", "v-" + videos.get(best.get(r - 1))))
                        .toArray(org.assertj.core.groups.Tuple[]::new));
        // the ranking claimed its exposure ids: a client posting one of them again adds nothing
        assertThat(eventLog.append(List.of(EventFixtures.event(
                        requestId + ":1", EventType.EXPOSURE, "user-7", requestId, null, java.time.Instant.now()))))
                .isZero();
        assertThat(count("SELECT count(*) FROM ab_event WHERE request_id = '" + requestId + "'"))
                .isEqualTo(5);
    }

    @Test
    void aBadRequestNamesEveryRuleAndRecordsNothing() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, SCORING);
        int requests = count("SELECT count(*) FROM rank_request");
        int events = count("SELECT count(*) FROM ab_event");
        Map<String, Object> body = rankBody(surface, "user-1", 1, List.of(1, 2, 3, 4, 5, 6), null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) body.get("candidates");
        Map<String, Object> context = new HashMap<>(ServingFixtures.context(1));
        context.put("hour", 20.5);
        body.put("context", context);
        candidates.get(0).put("features", without(ServingFixtures.item(1), "video_id"));
        candidates.get(1).put("features", with(ServingFixtures.item(2), "video_popularity", "high"));
        candidates.get(2).put("features", with(ServingFixtures.item(3), "category", 1.5));
        candidates.get(3).put("itemId", "v-1");
        candidates.get(4).remove("videoLength");
        candidates.get(5).put("videoLength", -1);

        Answer answer = post(body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(errors(answer))
                .containsExactlyInAnyOrder(
                        tuple("context.hour", "type"),
                        tuple("candidates[0].features.video_id", "required"),
                        tuple("candidates[1].features.video_popularity", "type"),
                        tuple("candidates[2].features.category", "type"),
                        tuple("candidates[3].itemId", "unique"),
                        tuple("candidates[4].videoLength", "required"),
                        tuple("candidates[5].videoLength", "min"));
        assertThat(count("SELECT count(*) FROM rank_request")).isEqualTo(requests);
        assertThat(count("SELECT count(*) FROM ab_event")).isEqualTo(events);
    }

    @Test
    void theRequestItselfIsChecked() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, SCORING);
        int requests = count("SELECT count(*) FROM rank_request");

        assertThat(errors(post(rankBody(surface, "u", 1, List.of(), null))))
                .containsExactly(tuple("candidates", "min-size"));
        List<Integer> tooMany = IntStream.range(0, 1001).boxed().toList();
        assertThat(errors(post(rankBody(surface, "u", 1, tooMany, null))))
                .containsExactly(tuple("candidates", "max-size"));
        assertThat(errors(post(rankBody(surface, " ", 1, List.of(1), 0))))
                .containsExactlyInAnyOrder(tuple("userId", "required"), tuple("limit", "min"));
        assertThat(errors(post(rankBody(surface, "x".repeat(201), 1, List.of(1), null))))
                .containsExactly(tuple("userId", "max-length"));
        assertThat(errors(post(rankBody("no-such-surface", "u", 1, List.of(1), null))))
                .containsExactly(tuple("surface", "exists"));
        Map<String, Object> noItemId = rankBody(surface, "u", 1, List.of(1, 2), null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) noItemId.get("candidates");
        candidates.get(1).remove("itemId");
        assertThat(errors(post(noItemId))).containsExactly(tuple("candidates[1].itemId", "required"));
        assertThat(errors(post("{\"userId\": \"u\", \"limit\": \"ten\", \"candidates\": []}")))
                .containsExactly(tuple("limit", "type"));
        assertThat(errors(post("{\"userId\": \"u\", \"candidates\": [{\"itemId\": \"a\", \"features\": [1]}]}")))
                .containsExactly(tuple("candidates[0].features", "type"));
        assertThat(count("SELECT count(*) FROM rank_request")).isEqualTo(requests);
    }

    @Test
    void aLimitBeyondTheCandidatesReturnsThemAllAndTheDefaultIsTen() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, SCORING);

        assertThat(post(rankBody(surface, "u", 1, List.of(1, 2, 3), 50)).json().get("items"))
                .hasSize(3);
        assertThat(post(rankBody(surface, "u", 1, IntStream.range(0, 30).boxed().toList(), null))
                        .json()
                        .get("items"))
                .hasSize(10);
    }

    @Test
    void aSurfaceWithoutChampionOrExperimentHasNothingToServe() throws Exception {
        String bare = fx.modelOf(fx.runs().get(0));
        String surface = fx.surface(bare, SCORING);

        Answer answer = post(rankBody(surface, "u", 1, List.of(1), null));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("detail").asString())
                .isEqualTo("surface " + surface + " has nothing to serve: set the champion alias of model " + bare);
    }

    @Test
    void unknownCategoricalValuesAreScoredAsOutOfVocabularyAndCounted() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, SCORING);
        Map<String, Object> body = rankBody(surface, "new-user", 1, List.of(1, 2, 3), null);
        Map<String, Object> context = new HashMap<>(ServingFixtures.context(1));
        context.put("user_id", 987_654); // the world has 120 users
        body.put("context", context);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) body.get("candidates");
        candidates.get(0).put("features", with(ServingFixtures.item(1), "video_id", 50_000));
        candidates.get(2).put("features", with(ServingFixtures.item(3), "video_id", "trailer-3"));

        Answer answer = post(body);

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(answer.json().get("oovValues").asInt()).isEqualTo(3);
        UUID id = UUID.fromString(answer.json().get("requestId").asString());
        assertThat(count("SELECT oov_values FROM rank_request WHERE request_id = ?", id))
                .isEqualTo(3);
    }

    @Test
    void movingTheChampionSwitchesServingWithoutRestart() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{}");
        Map<String, Object> body = rankBody(surface, "u-3", 3, List.of(1, 2, 3, 4), null);
        JsonNode before = post(body).json();
        assertThat(before.at("/model/version").asInt()).isEqualTo(1);

        fx.setChampion(model, 2);
        JsonNode after = post(body).json();

        assertThat(after.at("/model/version").asInt()).isEqualTo(2);
        assertThat(after.at("/items/0/predictions/vtr").floatValue())
                .as("another version, other predictions")
                .isNotEqualTo(before.at("/items/0/predictions/vtr").floatValue());
        fx.setChampion(model, 1);
    }

    @Test
    void aRunningExperimentServesEachUserTheirVariantAndItsExposuresCountForIt() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, "{}");
        long surfaceId = fx.surfaceId(surface);
        long experiment = RoutingFixtures.startExperiment(
                jdbc,
                surfaceId,
                "salt-http",
                "[]",
                List.of("control", "treatment"),
                List.of(1, 2),
                List.of(5000, 5000));
        events.publishEvent(new RolloutChanged(surfaceId));
        TrafficSplit split = new TrafficSplit(List.of("control", "treatment"), List.of(5000, 5000), 100);
        try {
            for (int u = 0; u < 8; u++) {
                String user = "exp-user-" + u;
                String variant = split.variantOf(BucketHash.bucket("salt-http", user));

                JsonNode json =
                        post(rankBody(surface, user, u, List.of(1, 2, 3), 2)).json();

                assertThat(json.get("experimentId").asLong()).isEqualTo(experiment);
                assertThat(json.get("variant").asString()).isEqualTo(variant);
                assertThat(json.at("/model/version").asInt()).isEqualTo(variant.equals("control") ? 1 : 2);
                UUID id = UUID.fromString(json.get("requestId").asString());
                exposureLog.flush();
                assertThat(jdbc.queryForList(
                                "SELECT DISTINCT experiment_id, variant FROM ab_event WHERE request_id = ?", id))
                        .containsExactly(Map.of("experiment_id", experiment, "variant", variant));
            }
        } finally {
            RoutingFixtures.stop(jdbc, experiment);
            events.publishEvent(new RolloutChanged(surfaceId));
        }
    }

    @Test
    void concurrentRequestsRankAsSequentialOnesDo() throws Exception {
        String model = fx.model();
        fx.setChampion(model, 1);
        String surface = fx.surface(model, SCORING);
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int user = 0; user < 24; user++) {
            int u = user;
            List<Integer> videos = IntStream.range(0, 40)
                    .map(i -> (i * 7 + u) % ServingFixtures.VIDEOS)
                    .boxed()
                    .toList();
            bodies.add(rankBody(surface, "c-" + u, u, videos, 15));
        }
        List<String> sequential = new ArrayList<>();
        for (Map<String, Object> body : bodies) {
            sequential.add(ranking(post(body)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (Map<String, Object> body : bodies) {
                    futures.add(pool.submit(() -> ranking(post(body))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % bodies.size()));
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The items, scores and predictions of an answer: what must not depend on concurrency. */
    static String ranking(Answer answer) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json().get("items").toString();
    }

    static List<org.assertj.core.groups.Tuple> errors(Answer answer) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
        List<org.assertj.core.groups.Tuple> found = new ArrayList<>();
        for (JsonNode e : answer.json().get("errors")) {
            found.add(tuple(e.get("field").asString(), e.get("rule").asString()));
        }
        return found;
    }

    static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> map, String key) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.remove(key);
        return copy;
    }
}
