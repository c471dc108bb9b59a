package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.EventLog;
import io.fulcrum.rollout.ServingProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the exposure events of answered rankings off the request path: a ranking queues its returned
 * items, and one thread writes everything queued within {@code fulcrum.serving.exposure-flush} in one
 * statement. Exposures carry their experiment and variant, so they need no {@code rank_request} row to
 * be attributed (that row is written in the request, so a client's own events are attributed
 * whenever they arrive). They claim their ids in {@code ab_event_key} like every event: a client that
 * posts an exposure id before the batch lands is counted once. Nothing queued is dropped. When the
 * queue is full, a request writes its own exposures. A failed batch is retried. Stopping writes
 * whatever is left, after the web server has stopped taking requests.
 */
@Component
public class ExposureLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExposureLog.class);
    private static final int MAX_BATCH = 4096;

    private static final String APPEND = """
            WITH commit_mode AS (
                SELECT set_config('synchronous_commit', ?, true)
            ), input AS (
                SELECT t.* FROM commit_mode, unnest(?::varchar[], ?::varchar[], ?::uuid[], ?::bigint[], ?::varchar[],
                                     ?::varchar[], ?::timestamptz[]) WITH ORDINALITY
                     AS t(event_id, item_id, request_id, experiment_id, variant, user_id, occurred_at, ord)
            ), """ + EventLog.CLAIM_IDS + """
            INSERT INTO ab_event (event_id, type, user_id, item_id, request_id, experiment_id, variant, value,
                                  occurred_at, received_at)
            SELECT i.event_id, 'exposure', i.user_id, i.item_id, i.request_id, i.experiment_id, i.variant, NULL,
                   i.occurred_at, now()
            FROM input i
            JOIN fresh f ON f.event_id = i.event_id
            """;

    /** One exposure event of a ranking: its id and the item. */
    private record Exposure(String id, String item, Ranked ranking) {}

    /** One ranking's exposures: the items it returned, in rank order. */
    record Ranked(UUID requestId, Long experimentId, String variant, String userId, Instant at, List<String> items) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final EventLog events;
    private final boolean durable;
    private final long flushNanos;
    private final LinkedBlockingQueue<Ranked> queue;
    // one batch at a time, whether the writer thread, a flush or a full queue writes it
    private final Object writing = new Object();
    private final List<Ranked> unwritten = new ArrayList<>();
    private volatile Thread writer;
    private volatile boolean running;

    ExposureLog(
            JdbcTemplate jdbc, EventLog events, ServingProperties properties, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // a batch commits on its own, also when a flush is asked for inside a caller's (read-only) transaction
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.events = events;
        this.durable = properties.durableLog();
        this.flushNanos = properties.exposureFlush().toNanos();
        this.queue = new LinkedBlockingQueue<>(properties.exposureQueue());
    }

    void add(Ranked ranked) {
        if (ranked.items().isEmpty()) {
            return;
        }
        if (!running || !queue.offer(ranked)) {
            write(List.of(ranked)); // stopped, or full: the request pays for its own write
        }
    }

    /**
     * Writes every exposure queued before the call (and any batch a failure left behind); results
     * read after it see them. Throws when the database refuses; nothing is dropped then.
     */
    public void flush() {
        synchronized (writing) {
            if (!unwritten.isEmpty()) {
                write(unwritten);
                unwritten.clear();
            }
            List<Ranked> batch = new ArrayList<>();
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                try {
                    write(batch);
                } catch (RuntimeException e) {
                    unwritten.addAll(batch); // kept for the next flush
                    throw e;
                }
                batch = new ArrayList<>();
            }
        }
    }

    /** Rankings whose exposures are not written yet. */
    int waiting() {
        synchronized (writing) {
            return queue.size() + unwritten.size();
        }
    }

    // items stay in the queue while a batch gathers, so that a flush from another thread (or the stop)
    // always finds them: only flush() takes them out
    private void loop() {
        long pause = 0;
        while (running) {
            if (queue.isEmpty() && unwritten.isEmpty()) {
                LockSupport.parkNanos(flushNanos);
                continue;
            }
            LockSupport.parkNanos(Math.max(flushNanos, pause));
            try {
                flush();
                pause = 0;
            } catch (RuntimeException e) {
                pause = Math.min(Math.max(2 * pause, 100_000_000L), 5_000_000_000L);
                log.warn(
                        "Exposures of {} rankings not written, retrying in {} ms: {}",
                        waiting(),
                        pause / 1_000_000,
                        e.getMessage());
            }
        }
    }

    private void write(List<Ranked> batch) {
        for (Ranked r : batch) {
            events.ensurePartition(r.at());
        }
        // ids claimed in one global order: concurrent writers of the same ids cannot deadlock
        List<Exposure> ordered = new ArrayList<>();
        for (Ranked r : batch) {
            for (int i = 0; i < r.items().size(); i++) {
                ordered.add(new Exposure(
                        RankLog.exposureId(r.requestId(), i + 1), r.items().get(i), r));
            }
        }
        ordered.sort(Comparator.comparing(Exposure::id));
        int n = ordered.size();
        String[] ids = new String[n];
        String[] items = new String[n];
        Object[] requests = new Object[n];
        Long[] experiments = new Long[n];
        String[] variants = new String[n];
        String[] users = new String[n];
        Timestamp[] times = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Exposure e = ordered.get(i);
            ids[i] = e.id();
            items[i] = e.item();
            requests[i] = e.ranking().requestId();
            experiments[i] = e.ranking().experimentId();
            variants[i] = e.ranking().variant();
            users[i] = e.ranking().userId();
            times[i] = Timestamp.from(e.ranking().at());
        }
        synchronized (writing) {
            ownTransaction.execute(status -> jdbc.execute((Connection c) -> {
                try (PreparedStatement ps = c.prepareStatement(APPEND)) {
                    ps.setString(1, durable ? "on" : "off");
                    ps.setArray(2, c.createArrayOf("varchar", ids));
                    ps.setArray(3, c.createArrayOf("varchar", items));
                    ps.setArray(4, c.createArrayOf("uuid", requests));
                    ps.setArray(5, c.createArrayOf("bigint", experiments));
                    ps.setArray(6, c.createArrayOf("varchar", variants));
                    ps.setArray(7, c.createArrayOf("varchar", users));
                    ps.setArray(8, c.createArrayOf("timestamptz", times));
                    return ps.executeUpdate();
                }
            }));
        }
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::loop, "exposure-log");
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = writer;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int left = waiting();
        try {
            flush();
            if (left > 0) {
                log.info("Exposure log stopped: wrote the last {} rankings' exposures", left);
            }
        } catch (RuntimeException e) {
            log.error("Exposure log stopped: the exposures of {} rankings could not be written", waiting(), e);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which stops at DEFAULT_PHASE − 2048) has stopped taking rankings. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
