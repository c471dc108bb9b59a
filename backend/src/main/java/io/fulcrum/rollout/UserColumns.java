package io.fulcrum.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * The values summed per user for an experiment's results, in the order of {@link UserMoments}: the
 * eight in-experiment sums, the same eight over the pre-exposure window, and whether the user had
 * any pre-exposure event. Every metric and its CUPED covariates are columns of this vector.
 */
public final class UserColumns {

    public static final int EXPOSURES = 0;
    public static final int CLICKS = 1;
    public static final int PLAYS = 2;
    public static final int WATCH = 3;
    public static final int COMPLETION_SUM = 4;
    public static final int COMPLETIONS = 5;
    public static final int SHARES = 6;
    public static final int COMMENTS = 7;

    /** In-experiment sums; {@code PRE + i} is sum i over the pre-exposure window. */
    public static final int SUMS = 8;

    public static final int PRE = SUMS;
    public static final int HAS_PRE = 2 * SUMS;
    public static final int SIZE = 2 * SUMS + 1;

    /** The eight sums over a user's events as {@code c0 … c7}, comma-separated. */
    static String sumsSelect() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < SUMS; i++) {
            parts.add(SUM_SQL.get(i) + " AS c" + i);
        }
        return String.join(", ", parts);
    }

    /** SQL of each sum over a user's events, in column order. */
    static final List<String> SUM_SQL = List.of(
            "count(*) FILTER (WHERE type = 'exposure')::float8",
            "count(*) FILTER (WHERE type = 'click')::float8",
            "count(*) FILTER (WHERE type = 'play')::float8",
            "coalesce(sum(value) FILTER (WHERE type = 'watch_time'), 0)",
            "coalesce(sum(value) FILTER (WHERE type = 'completion'), 0)",
            "count(*) FILTER (WHERE type = 'completion')::float8",
            "count(*) FILTER (WHERE type = 'share')::float8",
            "count(*) FILTER (WHERE type = 'comment')::float8");

    private UserColumns() {}

    /**
     * The covariances some statistic reads: for each per-user metric y, those among y, its pre-exposure
     * value and the has-pre indicator; for each rate, those among its numerator and denominator and
     * their pre-exposure sums. The query computes only these (fewer than half of all 153 pairs: the
     * aggregation over 100k users took 1 s more with all of them); the others read as NaN.
     */
    static final boolean[][] NEEDED = needed();

    private static boolean[][] needed() {
        boolean[][] needed = new boolean[SIZE][SIZE];
        for (RolloutMetric m : RolloutMetric.values()) {
            int[] group = switch (m.kind()) {
                case PER_USER -> new int[] {perUser(m), PRE + perUser(m), HAS_PRE};
                case RATE -> new int[] {rate(m)[0], rate(m)[1], PRE + rate(m)[0], PRE + rate(m)[1]};
                case LATENCY -> new int[0];
            };
            for (int a : group) {
                for (int b : group) {
                    needed[a][b] = true;
                }
            }
        }
        return needed;
    }

    /** A per-user or rate metric's value over these users: the per-user mean, or Σ numerator / Σ denominator. */
    public static double value(UserMoments users, RolloutMetric metric) {
        if (metric.kind() == RolloutMetric.Kind.PER_USER) {
            return users.mean(perUser(metric));
        }
        int[] r = rate(metric);
        return users.mean(r[0]) / users.mean(r[1]);
    }

    /** The value of a per-user metric. */
    public static int perUser(RolloutMetric metric) {
        return switch (metric) {
            case EXPOSURES_PER_USER -> EXPOSURES;
            case VIEWS_PER_USER -> PLAYS;
            case WATCH_TIME_PER_USER -> WATCH;
            default -> throw new IllegalArgumentException(metric + " is not a per-user metric");
        };
    }

    /** {numerator, denominator} of a rate. */
    public static int[] rate(RolloutMetric metric) {
        return switch (metric) {
            case CLICK_RATE -> new int[] {CLICKS, EXPOSURES};
            case PLAY_RATE -> new int[] {PLAYS, EXPOSURES};
            case SHARE_RATE -> new int[] {SHARES, EXPOSURES};
            case COMMENT_RATE -> new int[] {COMMENTS, EXPOSURES};
            case COMPLETION_RATIO -> new int[] {COMPLETION_SUM, COMPLETIONS};
            default -> throw new IllegalArgumentException(metric + " is not a rate");
        };
    }

    /**
     * The SELECT list that reduces per-user rows with columns {@code c0 … c16} to one row of moments:
     * {@code users}, {@code m<i>} = avg, {@code v<i>_<j>} = covar_samp for i ≤ j where {@link #NEEDED}.
     */
    static String momentsSelect() {
        return momentsSelect(SIZE);
    }

    /** The same over the first {@code size} columns only. */
    static String momentsSelect(int size) {
        List<String> parts = new ArrayList<>();
        parts.add("count(*) AS users");
        for (int i = 0; i < size; i++) {
            parts.add("avg(c" + i + ") AS m" + i);
        }
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                if (!NEEDED[i][j]) {
                    continue;
                }
                parts.add("covar_samp(c" + i + ", c" + j + ") AS v" + i + "_" + j);
            }
        }
        return String.join(", ", parts);
    }
}
