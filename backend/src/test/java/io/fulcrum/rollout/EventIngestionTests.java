package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.rollout.internal.EventIngestion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** {@code POST /api/events} and {@link EventLog} against the real PostgreSQL. */
@FulcrumSpringTest
class EventIngestionTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog log;

    @Autowired
    EventIngestion ingestion;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @LocalServerPort
    int port;

    /** Ids of this test only: the database is shared by every test class. */
    String prefix;

    EventFixtures fx;

    @BeforeEach
    void setUp() {
        prefix = "t-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        fx = new EventFixtures(jdbc);
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    String event(String id, String type, String value) {
        return """
                {"id": "%s", "type": "%s", "userId": "u-1", "itemId": "v-1", %s"occurredAt": "%s"}""".formatted(prefix + id, type, value == null ? "" : "\"value\": " + value + ", ", now());
    }

    static String batch(List<String> events) {
        return "{\"events\": [" + String.join(", ", events) + "]}";
    }

    MvcTestResult post(String body) {
        return mvc.post()
                .uri("/api/events")
                .with(TestSecurity.serving())
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    long stored() {
        return jdbc.queryForObject("SELECT count(*) FROM ab_event WHERE event_id LIKE ?", Long.class, prefix + "%");
    }

    long keys() {
        return jdbc.queryForObject("SELECT count(*) FROM ab_event_key WHERE event_id LIKE ?", Long.class, prefix + "%");
    }

    private List<String> fiveEvents() {
        return List.of(
                event("0", "exposure", null),
                event("1", "click", null),
                event("2", "watch_time", "12.5"),
                event("3", "completion", "0.4"),
                event("4", "share", "null"));
    }

    @Test
    void aValidBatchIsStoredAndCounted() {
        MvcTestResult result = post(batch(fiveEvents()));

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.received").isEqualTo(5);
        assertThat(result).bodyJson().extractingPath("$.accepted").isEqualTo(5);
        assertThat(result).bodyJson().extractingPath("$.duplicates").isEqualTo(0);
        assertThat(stored()).isEqualTo(5);
        Map<String, Object> watch = jdbc.queryForMap(
                "SELECT type, user_id, item_id, value, experiment_id FROM ab_event WHERE event_id = ?", prefix + "2");
        assertThat(watch)
                .containsEntry("type", "watch_time")
                .containsEntry("user_id", "u-1")
                .containsEntry("value", 12.5);
        assertThat(watch.get("experiment_id")).isNull();
        assertThat(jdbc.queryForObject("SELECT value FROM ab_event WHERE event_id = ?", Double.class, prefix + "4"))
                .isNull();
    }

    @Test
    void aMalformedEventRefusesTheWholeBatchNamingItsIndex() {
        List<String> events = new ArrayList<>(fiveEvents());
        events.set(3, event("3", "swipe", null));

        MvcTestResult result = post(batch(events));

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors.length()").isEqualTo(1);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("events[3].type");
        assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("one-of");
        assertThat(stored()).isZero();
        assertThat(keys()).isZero();
    }

    @Test
    void everyRuleOfEveryEventIsReportedAtOnce() throws Exception {
        String old = Instant.now().minus(31, ChronoUnit.DAYS).toString();
        String ahead = Instant.now().plus(25, ChronoUnit.HOURS).toString();
        String body = batch(List.of(
                "{\"type\": \"click\", \"userId\": \"u\", \"occurredAt\": \"" + now() + "\"}",
                "{\"id\": \"" + "x".repeat(101) + "\", \"type\": \"click\", \"userId\": \"\", \"occurredAt\": \""
                        + now() + "\"}",
                "{\"id\": \"a\", \"type\": \"watch_time\", \"userId\": \"u\", \"value\": -1, \"occurredAt\": \"" + now()
                        + "\"}",
                "{\"id\": \"b\", \"type\": \"completion\", \"userId\": \"u\", \"value\": 1.5, \"occurredAt\": \""
                        + now() + "\"}",
                "{\"id\": \"c\", \"type\": \"watch_time\", \"userId\": \"u\", \"occurredAt\": \"" + now() + "\"}",
                "{\"id\": \"d\", \"type\": \"click\", \"userId\": \"u\", \"value\": 3, \"occurredAt\": \"" + now()
                        + "\"}",
                "{\"id\": \"e\", \"type\": \"play\", \"userId\": \"u\", \"requestId\": \"1-2-3-4-5\", \"occurredAt\": \"yesterday\"}",
                "{\"id\": \"f\", \"type\": \"play\", \"userId\": \"u\", \"occurredAt\": \"" + old + "\"}",
                "{\"id\": \"g\", \"type\": \"play\", \"userId\": \"u\", \"occurredAt\": \"" + ahead + "\"}",
                "{\"id\": 7, \"userId\": \"u\", \"value\": \"3\", \"itemId\": \"" + "v".repeat(201) + "\"}",
                "\"not an event\"",
                "{\"id\": \"h\", \"type\": \"completion\", \"userId\": \"u\", \"value\": 1e999, \"occurredAt\": \""
                        + now() + "\"}"));

        MvcTestResult result = post(body);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        List<Map<String, String>> errors = JsonPath.read(result.getResponse().getContentAsString(), "$.errors");
        assertThat(errors)
                .extracting(e -> e.get("field") + " " + e.get("rule"))
                .containsExactly(
                        "events[0].id required",
                        "events[1].id max-length",
                        "events[1].userId required",
                        "events[2].value range",
                        "events[3].value range",
                        "events[4].value required",
                        "events[5].value not-allowed",
                        "events[6].requestId format",
                        "events[6].occurredAt format",
                        "events[7].occurredAt range",
                        "events[8].occurredAt range",
                        "events[9].id type",
                        "events[9].value type",
                        "events[9].itemId max-length",
                        "events[9].type required",
                        "events[9].occurredAt required",
                        "events[10] type",
                        "events[11].value range");
    }

    @Test
    void bodiesThatAreNotABatchAreRefused() {
        assertThat(post("{\"events\": ["))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].rule")
                .isEqualTo("malformed-json");
        assertThat(post(""))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].rule")
                .isEqualTo("malformed-json");
        assertThat(post("{}")).bodyJson().extractingPath("$.errors[0].field").isEqualTo("events");
        assertThat(post("{\"events\": 3}"))
                .bodyJson()
                .extractingPath("$.errors[0].rule")
                .isEqualTo("type");
        assertThat(post("[]")).bodyJson().extractingPath("$.errors[0].field").isEqualTo("$");
    }

    @Test
    void aBatchOverTheCapIsRefusedWithoutReadingItAll() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            events.add("{\"id\": \"" + prefix + i + "\", \"type\": \"exposure\", \"userId\": \"u\", \"occurredAt\": \""
                    + now() + "\"}");
        }
        MvcTestResult result = post(batch(events));

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("events");
        assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("max-size");
        assertThat(stored()).isZero();
    }

    @Test
    void aBatchThatFailsInItsLastChunkLeavesNothingBehind() {
        // 2,500 good events, then (sorted last, so in the second chunk of 2,000) one the database refuses:
        // a user id over the column's 200 characters, which only validation would have caught.
        List<EventRecord> events = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            events.add(EventFixtures.event(prefix + "a" + i, EventType.EXPOSURE, "u", null, null, Instant.now()));
        }
        events.add(EventFixtures.event(prefix + "z", EventType.EXPOSURE, "u".repeat(201), null, null, Instant.now()));

        assertThatThrownBy(() -> ingestion.ingest(events)).isInstanceOf(DataAccessException.class);

        assertThat(stored()).isZero();
        assertThat(keys()).isZero();
    }

    @Test
    void theSameBatchTwiceIsStoredOnce() {
        String body = batch(fiveEvents());
        assertThat(post(body)).bodyJson().extractingPath("$.accepted").isEqualTo(5);

        MvcTestResult again = post(body);

        assertThat(again).hasStatusOk();
        assertThat(again).bodyJson().extractingPath("$.received").isEqualTo(5);
        assertThat(again).bodyJson().extractingPath("$.accepted").isEqualTo(0);
        assertThat(again).bodyJson().extractingPath("$.duplicates").isEqualTo(5);
        assertThat(stored()).isEqualTo(5);
    }

    @Test
    void duplicateIdsInsideOneBatchCountOnceAndTheFirstWins() {
        MvcTestResult result = post(batch(
                List.of(event("a", "watch_time", "1.0"), event("b", "click", null), event("a", "watch_time", "2.0"))));

        assertThat(result).bodyJson().extractingPath("$.received").isEqualTo(3);
        assertThat(result).bodyJson().extractingPath("$.accepted").isEqualTo(2);
        assertThat(result).bodyJson().extractingPath("$.duplicates").isEqualTo(1);
        assertThat(stored()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT value FROM ab_event WHERE event_id = ?", Double.class, prefix + "a"))
                .isEqualTo(1.0);
    }

    @Test
    void concurrentPostsOfTheSameBatchStoreEachEventOnce() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(event(String.valueOf(i), "exposure", null));
        }
        String body = batch(events);
        List<Integer> accepted = postConcurrently(Collections.nCopies(8, body));

        assertThat(accepted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(stored()).isEqualTo(500);
        assertThat(jdbc.queryForObject(
                        "SELECT count(DISTINCT event_id) FROM ab_event WHERE event_id LIKE ?",
                        Long.class,
                        prefix + "%"))
                .isEqualTo(500);
    }

    @Test
    void concurrentOverlappingBatchesInAnyOrderNeitherDeadlockNorDoubleCount() throws Exception {
        // Each post: a random 600 of 1,000 ids in random order. Claiming ids in one global order keeps
        // two posts from each waiting on an id the other holds.
        Random random = new Random(7);
        List<String> bodies = new ArrayList<>();
        java.util.Set<Integer> sent = new java.util.HashSet<>();
        for (int t = 0; t < 8; t++) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ids.add(i);
            }
            Collections.shuffle(ids, random);
            List<String> events = new ArrayList<>();
            for (int i : ids.subList(0, 600)) {
                events.add(event(String.valueOf(i), "play", null));
                sent.add(i);
            }
            bodies.add(batch(events));
        }

        long deadlocksBefore = deadlocks();

        List<Integer> accepted = postConcurrently(bodies);

        assertThat(accepted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(sent.size());
        assertThat(stored()).isEqualTo(sent.size());
        assertThat(deadlocks())
                .as("deadlocks PostgreSQL detected (and the ingestion retried)")
                .isEqualTo(deadlocksBefore);
    }

    /** Deadlocks PostgreSQL has detected in this database, after flushing this backend's statistics. */
    private long deadlocks() {
        jdbc.execute("SELECT pg_stat_force_next_flush()");
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return jdbc.queryForObject(
                "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", Long.class);
    }

    /** Posts the bodies at once over real HTTP, one thread each; the accepted count of each. */
    private List<Integer> postConcurrently(List<String> bodies) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = TestSecurity.servingToken(context);
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return http.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/events"))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<Integer> accepted = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> response = f.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                accepted.add(JsonPath.read(response.body(), "$.accepted"));
            }
            return accepted;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void eventsOfTwoDaysLandInTwoDayPartitions() {
        Instant today = Instant.now();
        Instant earlier = today.minus(3, ChronoUnit.DAYS);
        log.append(List.of(
                EventFixtures.event(prefix + "today", EventType.EXPOSURE, "u", null, null, today),
                EventFixtures.event(prefix + "earlier", EventType.EXPOSURE, "u", null, null, earlier)));

        DateTimeFormatter suffix = DateTimeFormatter.ofPattern("yyyyMMdd");
        String todayTable = "ab_event_" + suffix.format(LocalDate.ofInstant(today, ZoneOffset.UTC));
        String earlierTable = "ab_event_" + suffix.format(LocalDate.ofInstant(earlier, ZoneOffset.UTC));
        assertThat(log.partitionTables()).contains(todayTable, earlierTable);
        assertThat(jdbc.queryForObject(
                        "SELECT event_id FROM " + todayTable + " WHERE event_id LIKE ?", String.class, prefix + "%"))
                .isEqualTo(prefix + "today");
        assertThat(jdbc.queryForObject(
                        "SELECT event_id FROM " + earlierTable + " WHERE event_id LIKE ?", String.class, prefix + "%"))
                .isEqualTo(prefix + "earlier");
    }

    @Test
    void eventsAreAttributedThroughTheirRankRequest() {
        long experiment = fx.experiment("RUNNING", "[]", 0, "[]", List.of("control", "ple"), List.of(5000, 5000));
        UUID request = fx.rankRequest(experiment, "ple", "u-1", 1000);
        UUID unattributed = fx.rankRequest(null, null, "u-1", 1000);

        MvcTestResult result = post(batch(List.of(
                withRequest("in", "click", request),
                withRequest("held-out", "click", unattributed),
                withRequest("unknown", "click", UUID.randomUUID()),
                event("none", "click", null))));

        assertThat(result).hasStatusOk();
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT event_id, experiment_id, variant, request_id FROM ab_event WHERE event_id LIKE ? ORDER BY event_id",
                prefix + "%");
        assertThat(rows).hasSize(4);
        assertThat(rows)
                .extracting(r -> r.get("event_id") + " " + r.get("experiment_id") + " " + r.get("variant"))
                .containsExactly(
                        prefix + "held-out null null",
                        prefix + "in " + experiment + " ple",
                        prefix + "none null null",
                        prefix + "unknown null null");
        assertThat(rows.get(1).get("request_id")).isEqualTo(request);
    }

    private String withRequest(String id, String type, UUID request) {
        return """
                {"id": "%s", "type": "%s", "userId": "u-1", "requestId": "%s", "occurredAt": "%s"}""".formatted(prefix + id, type, request, now());
    }
}
