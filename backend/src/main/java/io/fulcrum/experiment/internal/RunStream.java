package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.MetricStore;
import io.fulcrum.experiment.RunState;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a run's new metric points and state changes. Workers may live in other
 * processes, so the stream reads PostgreSQL: one thread polls every open stream twice a second
 * (an indexed range read on (run, seq)) and sends what is new.
 */
@Component
public class RunStream {

    private static final Logger log = LoggerFactory.getLogger(RunStream.class);
    private static final int BATCH = 5000;

    private final MetricStore metrics;
    private final JdbcTemplate jdbc;
    private final Map<SseEmitter, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-stream");
        t.setDaemon(true);
        return t;
    });

    RunStream(MetricStore metrics, JdbcTemplate jdbc, @Value("${fulcrum.runs.stream-poll:500ms}") Duration poll) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        poller.scheduleWithFixedDelay(this::pollAll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static final class Subscription {
        final long runId;
        final AtomicLong lastSeq;
        volatile String lastState = "";

        Subscription(long runId, long afterSeq) {
            this.runId = runId;
            this.lastSeq = new AtomicLong(afterSeq);
        }
    }

    /** A stream of points written after {@code afterSeq} (null: from now on). */
    public SseEmitter open(long runId, Long afterSeq) {
        long start = afterSeq != null ? afterSeq : metrics.lastSeq(runId);
        SseEmitter emitter = new SseEmitter(0L);
        subscriptions.put(emitter, new Subscription(runId, start));
        emitter.onCompletion(() -> subscriptions.remove(emitter));
        emitter.onTimeout(() -> subscriptions.remove(emitter));
        emitter.onError(e -> subscriptions.remove(emitter));
        return emitter;
    }

    public int open() {
        return subscriptions.size();
    }

    // A scheduled task that throws is never run again, and every open stream would go quiet with it:
    // nothing may escape this method, an Error of one stream included.
    private void pollAll() {
        for (Map.Entry<SseEmitter, Subscription> e : subscriptions.entrySet()) {
            try {
                poll(e.getKey(), e.getValue());
            } catch (IOException | IllegalStateException ex) {
                subscriptions.remove(e.getKey());
                endQuietly(e.getKey(), ex);
            } catch (RuntimeException ex) {
                log.debug("run stream poll failed; retrying on the next tick", ex);
            } catch (Throwable ex) {
                subscriptions.remove(e.getKey());
                endQuietly(e.getKey(), ex);
                log.warn("run stream of run {} ended", e.getValue().runId, ex);
            }
        }
    }

    private static void endQuietly(SseEmitter emitter, Throwable cause) {
        try {
            emitter.completeWithError(cause);
        } catch (RuntimeException alreadyEnded) {
            // the client went away first; nothing left to tell it
        }
    }

    private void poll(SseEmitter emitter, Subscription s) throws IOException {
        List<MetricStore.StreamedPoint> points;
        do {
            points = metrics.since(s.runId, s.lastSeq.get(), BATCH);
            if (!points.isEmpty()) {
                long last = points.get(points.size() - 1).seq();
                emitter.send(SseEmitter.event()
                        .name("metrics")
                        .id(Long.toString(last))
                        .data(points));
                s.lastSeq.set(last);
            }
        } while (points.size() == BATCH);
        List<Map<String, Object>> state =
                jdbc.queryForList("SELECT state, reason, checkpoint_epoch, attempt FROM run WHERE id = ?", s.runId);
        if (state.isEmpty()) {
            subscriptions.remove(emitter);
            emitter.complete();
            return;
        }
        Map<String, Object> row = state.get(0);
        String now = row.get("state") + "/" + row.get("checkpoint_epoch") + "/" + row.get("attempt");
        if (!now.equals(s.lastState)) {
            s.lastState = now;
            emitter.send(SseEmitter.event().name("state").data(row));
        }
        if (RunState.valueOf((String) row.get("state")).finished()) {
            subscriptions.remove(emitter);
            emitter.complete();
        }
    }

    @PreDestroy
    public void close() {
        poller.shutdownNow();
        subscriptions.keySet().forEach(SseEmitter::complete);
    }
}
