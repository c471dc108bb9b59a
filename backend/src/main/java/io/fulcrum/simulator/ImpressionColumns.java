package io.fulcrum.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed layout of an impression: categorical columns, then dense ones, then labels, each kind
 * numbered from 0 in the order the write methods of {@link Impression} fill their arrays. Only the
 * number of profile columns (the world's latent dimension) and the cardinalities depend on the spec.
 */
public final class ImpressionColumns {

    public static final int USER_ID = 0;
    public static final int VIDEO_ID = 1;
    public static final int CATEGORY = 2;
    public static final int SCENARIO = 3;
    public static final int DEVICE = 4;
    public static final int HOUR = 5;
    public static final int CATEGORICAL_COUNT = 6;

    public static final int VIDEO_LENGTH_LOG = 0;
    public static final int USER_ACTIVITY = 1;
    public static final int VIDEO_POPULARITY = 2;
    /** Index of user_profile_0; the user profile columns follow, then the video profile columns. */
    public static final int FIRST_PROFILE = 3;

    public static final int CLICK = 0;
    public static final int PLAY = 1;
    public static final int WATCH_TIME = 2;
    public static final int VALID_VIEW = 3;
    public static final int COMPLETION_RATIO = 4;
    public static final int SHARE = 5;
    public static final int COMMENT = 6;
    public static final int LABEL_COUNT = 7;

    /** The weak, noisy view of the hidden clickbait trait; present only when the world has clickbait. */
    public static final String CLICKBAIT_SIGNAL = "video_clickbait_signal";

    private static final String[] CATEGORICAL_NAMES = {"user_id", "video_id", "category", "scenario", "device", "hour"};
    private static final String[] LABEL_NAMES = {
        "click", "play", "watch_time", "valid_view", "completion_ratio", "share", "comment"
    };

    private final List<Column> all;
    private final int denseCount;

    private ImpressionColumns(VideoWorldSpec spec) {
        var population = spec.population();
        int dimension = population.latentDimension();
        int[] cardinalities = {
            population.users(),
            population.videos(),
            population.categories(),
            Scenario.values().length,
            Device.values().length,
            24
        };
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < CATEGORICAL_COUNT; i++) {
            columns.add(new Column(CATEGORICAL_NAMES[i], ColumnKind.CATEGORICAL, i, cardinalities[i]));
        }
        int dense = 0;
        for (String name : new String[] {"video_length_log", "user_activity", "video_popularity"}) {
            columns.add(new Column(name, ColumnKind.DENSE, dense++, 0));
        }
        for (int k = 0; k < dimension; k++) {
            columns.add(new Column("user_profile_" + k, ColumnKind.DENSE, dense++, 0));
        }
        for (int k = 0; k < dimension; k++) {
            columns.add(new Column("video_profile_" + k, ColumnKind.DENSE, dense++, 0));
        }
        if (spec.conflict().clickbait() > 0) {
            // only in worlds with clickbait, so that the default world keeps its columns
            columns.add(new Column(CLICKBAIT_SIGNAL, ColumnKind.DENSE, dense++, 0));
        }
        for (int i = 0; i < LABEL_COUNT; i++) {
            columns.add(new Column(LABEL_NAMES[i], ColumnKind.LABEL, i, 0));
        }
        this.all = List.copyOf(columns);
        this.denseCount = dense;
    }

    public static ImpressionColumns of(VideoWorldSpec spec) {
        return new ImpressionColumns(spec);
    }

    /** Every column: categorical, dense, then labels. */
    public List<Column> all() {
        return all;
    }

    public List<Column> ofKind(ColumnKind kind) {
        return all.stream().filter(column -> column.kind() == kind).toList();
    }

    public Column named(String name) {
        return all.stream()
                .filter(column -> column.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no impression column named " + name));
    }

    public int denseCount() {
        return denseCount;
    }

    public int categoricalCount() {
        return CATEGORICAL_COUNT;
    }

    public int labelCount() {
        return LABEL_COUNT;
    }
}
