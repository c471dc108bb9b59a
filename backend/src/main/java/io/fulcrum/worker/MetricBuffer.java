package io.fulcrum.worker;

import io.fulcrum.experiment.MetricPoint;
import io.fulcrum.experiment.MetricStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's metric points on their way to PostgreSQL. The training thread only appends; a flush (every
 * second, at epoch ends and at the end) writes them in one batch. If the database is away the points
 * stay here and training goes on; past the cap the oldest step points are dropped (and counted),
 * which the idempotent keys make safe to re-send later.
 */
final class MetricBuffer {

    private static final Logger log = LoggerFactory.getLogger(MetricBuffer.class);
    static final int CAP = 500_000;

    private final ArrayDeque<MetricPoint> points = new ArrayDeque<>();
    private long dropped;

    synchronized void add(MetricPoint point) {
        if (points.size() >= CAP) {
            points.pollFirst();
            dropped++;
        }
        points.addLast(point);
    }

    synchronized void addAll(List<MetricPoint> more) {
        more.forEach(this::add);
    }

    /** Writes what is buffered; on failure puts it back in front and rethrows. */
    void flush(MetricStore store) {
        List<MetricPoint> batch;
        synchronized (this) {
            if (points.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(points);
            points.clear();
        }
        try {
            store.write(batch);
        } catch (RuntimeException e) {
            synchronized (this) {
                List<MetricPoint> newer = new ArrayList<>(points);
                points.clear();
                batch.forEach(this::add);
                newer.forEach(this::add);
            }
            throw e;
        }
        if (dropped > 0) {
            log.warn("{} metric points were dropped while the database was unavailable", dropped);
            dropped = 0;
        }
    }

    synchronized int size() {
        return points.size();
    }
}
