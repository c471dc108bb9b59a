package io.fulcrum.simulator;

/**
 * An endless, seeded stream of impressions from one world: the user by activity, the video by
 * popularity, then the context and the user's response. The same world and seed give the same
 * stream however it is cut into batches; the caller decides how many rows a dataset has. Not
 * thread safe: use one generator (with its own seed) per thread.
 */
public final class ImpressionGenerator {

    /** Impressions per local hour, in relative terms: a lunch peak and a larger evening peak. */
    static final double[] HOUR_WEIGHTS = {
        2.0, 1.2, 0.8, 0.5, 0.4, 0.5, 1.0, 2.0, 3.0, 3.2, 3.2, 3.5, 4.5, 4.0, 3.5, 3.3, 3.4, 3.8, 4.5, 5.5, 6.5, 7.0,
        6.0, 4.0
    };

    /** Share of impressions per {@link Device}, in its declaration order. */
    static final double[] DEVICE_WEIGHTS = {0.55, 0.35, 0.10};

    static final AliasSampler HOURS = new AliasSampler(HOUR_WEIGHTS);
    static final AliasSampler DEVICES = new AliasSampler(DEVICE_WEIGHTS);

    private final VideoWorld world;
    private final SimulationRandom random;
    private final double autoplayShare;
    private final Impression scratch = new Impression();
    private long generated;

    ImpressionGenerator(VideoWorld world, long seed) {
        this.world = world;
        this.random = new SimulationRandom(seed ^ 0x5DEECE66DL, world.seed());
        this.autoplayShare = world.spec().traffic().autoplayShare();
    }

    public VideoWorld world() {
        return world;
    }

    /** Impressions drawn so far. */
    public long generated() {
        return generated;
    }

    /** Draws the next impression into {@code into} and returns it. */
    public Impression next(Impression into) {
        int user = world.userSampler.sample(random);
        int video = world.videoSampler.sample(random);
        int scenario = random.nextDouble() < autoplayShare ? 0 : 1;
        int device = DEVICES.sample(random);
        int hour = HOURS.sample(random);
        world.respond(user, video, scenario, device, hour, random, into);
        generated++;
        return into;
    }

    /** Fills the whole batch with the next {@code batch.capacity()} impressions. */
    public ImpressionBatch fill(ImpressionBatch batch) {
        return fill(batch, batch.capacity());
    }

    /** Fills the first {@code rows} rows of the batch (at most its capacity) with the next impressions. */
    public ImpressionBatch fill(ImpressionBatch batch, int rows) {
        if (rows < 0 || rows > batch.capacity()) {
            throw new IllegalArgumentException("rows must be in 0.." + batch.capacity() + ", was " + rows);
        }
        if (batch.denseWidth() != ImpressionColumns.FIRST_PROFILE + 2 * world.dimension) {
            throw new IllegalArgumentException("the batch was made for another world's columns");
        }
        float[] dense = batch.dense();
        int[] categorical = batch.categorical();
        float[] labels = batch.labels();
        int denseWidth = batch.denseWidth();
        for (int row = 0; row < rows; row++) {
            next(scratch);
            scratch.writeDense(dense, row * denseWidth);
            scratch.writeCategorical(categorical, row * ImpressionColumns.CATEGORICAL_COUNT);
            scratch.writeLabels(labels, row * ImpressionColumns.LABEL_COUNT);
        }
        batch.setSize(rows);
        return batch;
    }
}
