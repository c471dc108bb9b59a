package io.fulcrum.experiment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Metric points in PostgreSQL: idempotent batch writes, and reads that downsample in the database so
 * that a series of 100k points costs one indexed range scan and returns a chart's worth of points.
 */
@Service
public class MetricStore {

    public static final int MAX_POINTS = 10_000;

    private final JdbcTemplate jdbc;

    MetricStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes the points in one batch; a point already stored under the same key is replaced. */
    public void write(List<MetricPoint> points) {
        List<MetricPoint> finite =
                points.stream().filter(p -> Double.isFinite(p.value())).toList();
        if (finite.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.batchUpdate(
                "INSERT INTO run_metric (run_id, split, name, task, step, epoch, value, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (run_id, name, task, split, step)"
                        + " DO UPDATE SET value = EXCLUDED.value, epoch = EXCLUDED.epoch,"
                        + " recorded_at = EXCLUDED.recorded_at",
                finite,
                1000,
                (ps, p) -> {
                    ps.setLong(1, p.runId());
                    ps.setString(2, p.split());
                    ps.setString(3, p.name());
                    ps.setString(4, p.task());
                    ps.setLong(5, p.step());
                    ps.setInt(6, p.epoch());
                    ps.setDouble(7, p.value());
                    ps.setTimestamp(8, now);
                });
    }

    /** A run's series matching the filters (null = any), each downsampled to at most maxPoints. */
    public List<MetricSeries> query(
            long runId, String split, String name, String task, long from, long to, int maxPoints) {
        List<Object> args = new ArrayList<>(List.of(runId));
        StringBuilder where = new StringBuilder("run_id = ?");
        if (split != null) {
            where.append(" AND split = ?");
            args.add(split);
        }
        if (name != null) {
            where.append(" AND name = ?");
            args.add(name);
        }
        if (task != null) {
            where.append(" AND task = ?");
            args.add(task);
        }
        List<String[]> keys = jdbc.query(
                "SELECT DISTINCT split, name, task FROM run_metric WHERE " + where + " ORDER BY split, name, task",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                args.toArray());
        List<MetricSeries> series = new ArrayList<>();
        for (String[] key : keys) {
            series.add(series(runId, key[0], key[1], key[2], from, to, maxPoints));
        }
        return series;
    }

    private MetricSeries series(long runId, String split, String name, String task, long from, long to, int max) {
        String range = " FROM run_metric WHERE run_id = ? AND name = ? AND task = ? AND split = ?"
                + " AND step BETWEEN ? AND ?";
        Object[] args = {runId, name, task, split, from, to};
        long[] extent = jdbc.queryForObject(
                "SELECT count(*), COALESCE(min(step), 0), COALESCE(max(step), 0)" + range,
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)},
                args);
        long total = extent[0];
        if (total <= max) {
            List<MetricSeries.Point> points = jdbc.query(
                    "SELECT step, epoch, value" + range + " ORDER BY step",
                    (rs, i) -> new MetricSeries.Point(rs.getLong(1), rs.getInt(2), rs.getDouble(3), null, null),
                    args);
            return new MetricSeries(split, name, task, total, false, points);
        }
        // equal-width step buckets over the stored extent; each point sits at its bucket's last step
        List<MetricSeries.Point> points = jdbc.query(
                "SELECT max(step), max(epoch), avg(value), min(value), max(value)" + range
                        + " GROUP BY width_bucket(step::float8, ?::float8, ?::float8, ?) ORDER BY 1",
                (rs, i) -> new MetricSeries.Point(
                        rs.getLong(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)),
                runId,
                name,
                task,
                split,
                from,
                to,
                extent[1],
                extent[2] + 1,
                max);
        return new MetricSeries(split, name, task, total, true, points);
    }

    /** The seq of the run's newest point (0 when it has none): where a live stream picks up after a page load. */
    public long lastSeq(long runId) {
        return jdbc.queryForObject("SELECT COALESCE(max(seq), 0) FROM run_metric WHERE run_id = ?", Long.class, runId);
    }

    /** Points written after {@code afterSeq}, oldest first: what the live stream sends next. */
    public List<StreamedPoint> since(long runId, long afterSeq, int limit) {
        return jdbc.query(
                "SELECT seq, split, name, task, step, epoch, value FROM run_metric"
                        + " WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, i) -> new StreamedPoint(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getInt(6),
                        rs.getDouble(7)),
                runId,
                afterSeq,
                limit);
    }

    /** A point as the stream sends it; seq orders points across the whole database. */
    public record StreamedPoint(long seq, String split, String name, String task, long step, int epoch, double value) {}

    void deleteAll(long runId) {
        jdbc.update("DELETE FROM run_metric WHERE run_id = ?", runId);
    }
}
