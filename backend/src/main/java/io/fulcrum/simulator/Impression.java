package io.fulcrum.simulator;

/**
 * One impression and what followed, as a reusable cursor: generators overwrite it in place so a
 * stream of millions allocates nothing per row. Copy the values out (the {@code write} methods)
 * before asking for the next impression.
 */
public final class Impression {

    private static final Scenario[] SCENARIOS = Scenario.values();
    private static final Device[] DEVICES = Device.values();

    private VideoWorld world;
    private int user;
    private int video;
    private int scenario;
    private int device;
    private int hour;
    private boolean click;
    private boolean play;
    private double watchSeconds;
    private boolean validView;
    private boolean share;
    private boolean comment;

    void set(VideoWorld world, int user, int video, int scenario, int device, int hour) {
        this.world = world;
        this.user = user;
        this.video = video;
        this.scenario = scenario;
        this.device = device;
        this.hour = hour;
    }

    void setOutcome(
            boolean click, boolean play, double watchSeconds, boolean validView, boolean share, boolean comment) {
        this.click = click;
        this.play = play;
        this.watchSeconds = watchSeconds;
        this.validView = validView;
        this.share = share;
        this.comment = comment;
    }

    public int user() {
        return user;
    }

    public int video() {
        return video;
    }

    public int category() {
        return world.videoCategory[video];
    }

    public Scenario scenario() {
        return SCENARIOS[scenario];
    }

    public Device device() {
        return DEVICES[device];
    }

    public int hour() {
        return hour;
    }

    public Context context() {
        return new Context(scenario(), device(), hour);
    }

    public double lengthSeconds() {
        return world.videoLength[video];
    }

    public boolean click() {
        return click;
    }

    public boolean play() {
        return play;
    }

    /** Seconds watched; 0 without a play. */
    public double watchSeconds() {
        return watchSeconds;
    }

    public boolean validView() {
        return validView;
    }

    /** Watch time over length, in [0, 1]; NaN without a play, where it is not defined. */
    public double completionRatio() {
        return play ? Math.min(1.0, watchSeconds / world.videoLength[video]) : Double.NaN;
    }

    public boolean share() {
        return share;
    }

    public boolean comment() {
        return comment;
    }

    /** Writes the {@link ImpressionColumns#CATEGORICAL_COUNT} categorical values from {@code offset}. */
    public void writeCategorical(int[] into, int offset) {
        into[offset + ImpressionColumns.USER_ID] = user;
        into[offset + ImpressionColumns.VIDEO_ID] = video;
        into[offset + ImpressionColumns.CATEGORY] = world.videoCategory[video];
        into[offset + ImpressionColumns.SCENARIO] = scenario;
        into[offset + ImpressionColumns.DEVICE] = device;
        into[offset + ImpressionColumns.HOUR] = hour;
    }

    /** Writes the world's {@link ImpressionColumns#denseCount()} dense values from {@code offset}. */
    public void writeDense(float[] into, int offset) {
        int dimension = world.dimension;
        into[offset + ImpressionColumns.VIDEO_LENGTH_LOG] = world.videoLengthLogFeature[video];
        into[offset + ImpressionColumns.USER_ACTIVITY] = (float) world.userActivityLog[user];
        into[offset + ImpressionColumns.VIDEO_POPULARITY] = world.videoPopularityFeature[video];
        int profiles = offset + ImpressionColumns.FIRST_PROFILE;
        System.arraycopy(world.userProfile, user * dimension, into, profiles, dimension);
        System.arraycopy(world.videoProfile, video * dimension, into, profiles + dimension, dimension);
        if (world.clickbaitSignal != null) {
            into[profiles + 2 * dimension] = world.clickbaitSignal[video];
        }
    }

    /** Writes the {@link ImpressionColumns#LABEL_COUNT} labels from {@code offset}; booleans as 0/1. */
    public void writeLabels(float[] into, int offset) {
        into[offset + ImpressionColumns.CLICK] = click ? 1f : 0f;
        into[offset + ImpressionColumns.PLAY] = play ? 1f : 0f;
        into[offset + ImpressionColumns.WATCH_TIME] = (float) watchSeconds;
        into[offset + ImpressionColumns.VALID_VIEW] = validView ? 1f : 0f;
        into[offset + ImpressionColumns.COMPLETION_RATIO] = (float) completionRatio();
        into[offset + ImpressionColumns.SHARE] = share ? 1f : 0f;
        into[offset + ImpressionColumns.COMMENT] = comment ? 1f : 0f;
    }
}
