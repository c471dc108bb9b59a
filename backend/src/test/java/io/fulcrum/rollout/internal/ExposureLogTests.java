package io.fulcrum.rollout.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.rollout.EventLog;
import io.fulcrum.rollout.EventRecord;
import io.fulcrum.rollout.EventType;
import io.fulcrum.rollout.Route;
import io.fulcrum.rollout.ServingProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Exposures leave the ranking request in batches and none is lost: every returned item of rankings
 * answered from many threads is one exposure event, a log that stops writes what it still holds, a
 * full queue makes the request write its own, and an exposure id a client posts first counts once.
 */
@FulcrumSpringTest
class ExposureLogTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventLog events;

    @Autowired
    ExposureLog exposureLog;

    @Autowired
    PlatformTransactionManager transactions;

    private long exposures(String user) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM ab_event WHERE type = 'exposure' AND user_id = ?", Long.class, user);
    }

    /** A new surface of its own (rank_request rows reference one). */
    private long surface() {
        return jdbc.queryForObject(
                "INSERT INTO surface (name, model_name, scoring, created_at, updated_at)"
                        + " VALUES (?, 'video', '{\"exponents\": {}, \"lengthTransform\": {\"type\": \"none\"}}',"
                        + " now(), now()) RETURNING id",
                Long.class,
                "x-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static Route route(long surface) {
        return new Route(surface, "s", null, null, "video", 1, null);
    }

    private ExposureLog exposureLog(Duration flush, int queue) {
        return new ExposureLog(
                jdbc,
                events,
                new ServingProperties(null, null, null, null, null, null, null, flush, queue),
                transactions);
    }

    private RankLog rankLog(ExposureLog log) {
        return new RankLog(jdbc, log, ServingProperties.defaults());
    }

    @Test
    void everyReturnedItemOfConcurrentRankingsIsOneExposure() throws Exception {
        RankLog rankLog = rankLog(exposureLog);
        long surface = surface();
        String user = "burst-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        int rankings = 400;
        for (int r = 0; r < rankings; r++) {
            int returned = 1 + r % 10;
            done.add(pool.submit(() -> rankLog.record(
                    UUID.randomUUID(), route(surface), user, 20, items(returned), 0, 1000, Instant.now())));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        exposureLog.flush();
        long expected = 0;
        for (int r = 0; r < rankings; r++) {
            expected += 1 + r % 10;
        }
        assertThat(exposures(user)).isEqualTo(expected);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rank_request WHERE user_id = ?", Long.class, user))
                .isEqualTo(rankings);
    }

    @Test
    void stoppingWritesWhatIsStillQueued() {
        // a log that waits a minute before writing: only stopping it can have written these
        ExposureLog slow = exposureLog(Duration.ofMinutes(1), 1000);
        slow.start();
        RankLog rankLog = rankLog(slow);
        long surface = surface();
        String user = "stop-" + UUID.randomUUID();
        for (int r = 0; r < 25; r++) {
            rankLog.record(UUID.randomUUID(), route(surface), user, 10, items(4), 0, 1000, Instant.now());
        }
        assertThat(exposures(user)).isZero();
        slow.stop();
        assertThat(exposures(user)).isEqualTo(100);
    }

    @Test
    void aFullQueueMakesTheRequestWriteItsOwn() {
        ExposureLog tiny = exposureLog(Duration.ofMinutes(1), 2);
        tiny.start();
        RankLog rankLog = rankLog(tiny);
        long surface = surface();
        String user = "full-" + UUID.randomUUID();
        for (int r = 0; r < 5; r++) {
            rankLog.record(UUID.randomUUID(), route(surface), user, 10, items(3), 0, 1000, Instant.now());
        }
        // two wait in the queue; the other three were written by their own requests
        assertThat(exposures(user)).isEqualTo(9);
        tiny.stop();
        assertThat(exposures(user)).isEqualTo(15);
    }

    @Test
    void anExposureTheClientPostsFirstIsCountedOnceAndAttributed() {
        ExposureLog slow = exposureLog(Duration.ofMinutes(1), 1000);
        slow.start();
        RankLog rankLog = rankLog(slow);
        long surface = surface();
        String user = "first-" + UUID.randomUUID();
        UUID request = UUID.randomUUID();
        rankLog.record(request, route(surface), user, 10, items(3), 0, 1000, Instant.now());
        assertThat(events.append(List.of(new EventRecord(
                        RankLog.exposureId(request, 2),
                        EventType.EXPOSURE,
                        user,
                        "item-1",
                        request,
                        null,
                        Instant.now()))))
                .isEqualTo(1);
        slow.stop();
        assertThat(exposures(user)).isEqualTo(3);
        // the client's copy was attributed through the request's row, written in the request
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM ab_event WHERE user_id = ? AND request_id = ?",
                        Long.class,
                        user,
                        request))
                .isEqualTo(3);
    }

    private static List<String> items(int n) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add("item-" + i);
        }
        return items;
    }
}
