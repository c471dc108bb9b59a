package io.fulcrum.simulator;

import java.util.Objects;

/**
 * One seeded world: its users and videos with their hidden traits and observable features, and
 * the {@link ResponseModel} that says how a user reacts to a video in a context. Immutable once
 * built, so any number of threads may read it and draw impression streams from it.
 *
 * <p>Users and videos are identified by their index, {@code 0 .. users() − 1} and {@code 0 ..
 * videos() − 1}; those indices are also the user_id and video_id feature values.
 */
public final class VideoWorld {

    /** Streams of randomness, so adding a trait never shifts another one. */
    private static final long CATEGORIES = 1;

    private static final long VIDEOS = 2;
    private static final long USERS = 3;
    private static final long FEATURES = 4;
    private static final long SATISFACTION = 5;
    private static final long CLICKBAIT = 6;
    private static final long SEGMENTS = 7;

    private final VideoWorldSpec spec;
    private final long seed;
    private final ResponseModel model;
    final int users;
    final int videos;
    final int dimension;

    /** User latent factors, users × dimension, scaled by 1/√dimension so affinities have unit variance. */
    private final double[] userFactors;

    private final double[] userBias;
    private final double[] userCommentTrait;
    final double[] userActivityLog;
    private final double[] videoFactors;
    final int[] videoCategory;
    final double[] videoLength;
    private final double[] videoQuality;
    final double[] videoPopularityLog;

    final float[] userProfile;
    final float[] videoProfile;
    final float[] videoPopularityFeature;
    final float[] videoLengthLogFeature;

    final AliasSampler userSampler;
    final AliasSampler videoSampler;

    // the conflict knobs' traits (VideoWorldSpec.Conflict); null where a knob is at its default, so
    // the default world computes exactly what it always did
    /** Satisfaction factors and quality, correlated ρ with the click-side ones. */
    private final double[] satisfactionFactors;

    private final double[] satisfactionQuality;
    /** κ·b per video: added to the click and stay logits, taken off the commit and finish logits. */
    private final double[] clickbaitPull;

    final float[] clickbaitSignal;
    /** strength × (novelty + length) / √2 per video, for the users of the segment. */
    private final double[] segmentPull;

    private final boolean[] inSegment;

    private VideoWorld(VideoWorldSpec spec, long seed) {
        this.spec = spec;
        this.seed = seed;
        this.model = new ResponseModel(spec);
        var population = spec.population();
        users = population.users();
        videos = population.videos();
        dimension = population.latentDimension();
        int categories = population.categories();

        SimulationRandom random = new SimulationRandom(seed, CATEGORIES);
        double[] centroids = gaussians(random, categories * dimension, 1.0);

        random = new SimulationRandom(seed, VIDEOS);
        double cohesion = population.categoryCohesion();
        double ownShare = Math.sqrt(1 - cohesion * cohesion);
        double qualityStd = population.videoQualityStd();
        double popularitySigma = population.popularitySigma();
        double rho = population.popularityQualityCorrelation();
        double logMedian = Math.log(population.lengthMedianSeconds());
        videoFactors = new double[videos * dimension];
        videoCategory = new int[videos];
        videoLength = new double[videos];
        videoQuality = new double[videos];
        videoPopularityLog = new double[videos];
        double[] popularityWeight = new double[videos];
        for (int v = 0; v < videos; v++) {
            int category = random.nextInt(categories);
            videoCategory[v] = category;
            for (int k = 0; k < dimension; k++) {
                videoFactors[v * dimension + k] =
                        cohesion * centroids[category * dimension + k] + ownShare * random.nextGaussian();
            }
            double qualityZ = random.nextGaussian();
            videoQuality[v] = qualityStd * qualityZ;
            videoPopularityLog[v] =
                    popularitySigma * (rho * qualityZ + Math.sqrt(1 - rho * rho) * random.nextGaussian());
            popularityWeight[v] = Math.exp(videoPopularityLog[v]);
            double length = Math.exp(logMedian + population.lengthSigma() * random.nextGaussian());
            videoLength[v] = Math.max(population.minLengthSeconds(), Math.min(population.maxLengthSeconds(), length));
        }

        random = new SimulationRandom(seed, USERS);
        double factorScale = 1 / Math.sqrt(dimension);
        double activitySigma = population.userActivitySigma();
        double biasStd = spec.clicks().userBiasStd();
        double traitStd = spec.engagement().commentUserTraitStd();
        userFactors = new double[users * dimension];
        userBias = new double[users];
        userCommentTrait = new double[users];
        userActivityLog = new double[users];
        double[] activityWeight = new double[users];
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < dimension; k++) {
                userFactors[u * dimension + k] = factorScale * random.nextGaussian();
            }
            userActivityLog[u] = activitySigma * random.nextGaussian();
            activityWeight[u] = Math.exp(userActivityLog[u]);
            userBias[u] = biasStd * random.nextGaussian();
            userCommentTrait[u] = traitStd * random.nextGaussian();
        }

        // Profiles are what a platform can know about a user or a video (declared interests, tags,
        // past behaviour): the hidden factors seen through noise, on a unit scale.
        random = new SimulationRandom(seed, FEATURES);
        double noise = spec.observation().profileNoise();
        userProfile = new float[users * dimension];
        for (int i = 0; i < userProfile.length; i++) {
            userProfile[i] = (float) (userFactors[i] / factorScale + noise * random.nextGaussian());
        }
        videoProfile = new float[videos * dimension];
        for (int i = 0; i < videoProfile.length; i++) {
            videoProfile[i] = (float) (videoFactors[i] + noise * random.nextGaussian());
        }
        double popularityNoise = spec.observation().popularityNoise();
        videoPopularityFeature = new float[videos];
        videoLengthLogFeature = new float[videos];
        for (int v = 0; v < videos; v++) {
            videoPopularityFeature[v] = (float) (videoPopularityLog[v] + popularityNoise * random.nextGaussian());
            videoLengthLogFeature[v] = (float) Math.log(videoLength[v]);
        }

        userSampler = new AliasSampler(activityWeight);
        videoSampler = new AliasSampler(popularityWeight);

        var conflict = spec.conflict();
        double taskCorrelation = conflict.taskCorrelation();
        if (taskCorrelation != 1.0) {
            random = new SimulationRandom(seed, SATISFACTION);
            double other = Math.sqrt(1 - taskCorrelation * taskCorrelation);
            satisfactionFactors = new double[videos * dimension];
            satisfactionQuality = new double[videos];
            for (int v = 0; v < videos; v++) {
                for (int k = 0; k < dimension; k++) {
                    // the click-side factors have unit variance per coordinate, and so does this
                    satisfactionFactors[v * dimension + k] =
                            taskCorrelation * videoFactors[v * dimension + k] + other * random.nextGaussian();
                }
                satisfactionQuality[v] = taskCorrelation * videoQuality[v] + other * qualityStd * random.nextGaussian();
            }
        } else {
            satisfactionFactors = null;
            satisfactionQuality = null;
        }
        if (conflict.clickbait() > 0) {
            random = new SimulationRandom(seed, CLICKBAIT);
            clickbaitPull = new double[videos];
            clickbaitSignal = new float[videos];
            for (int v = 0; v < videos; v++) {
                double trait = random.nextGaussian();
                clickbaitPull[v] = conflict.clickbait() * trait;
                clickbaitSignal[v] = (float) (trait + conflict.clickbaitSignalNoise() * random.nextGaussian());
            }
        } else {
            clickbaitPull = null;
            clickbaitSignal = null;
        }
        var segments = conflict.segments();
        if (segments.share() > 0) {
            random = new SimulationRandom(seed, SEGMENTS);
            inSegment = new boolean[users];
            for (int u = 0; u < users; u++) {
                inSegment[u] = random.nextDouble() < segments.share();
            }
            segmentPull = new double[videos];
            double lengthSigma = Math.max(population.lengthSigma(), 1e-9);
            double popularityScale = Math.max(popularitySigma, 1e-9);
            for (int v = 0; v < videos; v++) {
                double novelty = -videoPopularityLog[v] / popularityScale;
                double lengthZ = (Math.log(videoLength[v]) - logMedian) / lengthSigma;
                segmentPull[v] = segments.strength() * (novelty + lengthZ) / Math.sqrt(2);
            }
        } else {
            inSegment = null;
            segmentPull = null;
        }
    }

    /** The user's taste match with the video's satisfaction side (the click side's without conflict). */
    private double satisfactionAffinity(int user, int video, double clickAffinity) {
        return satisfactionFactors == null ? clickAffinity : dot(user, satisfactionFactors, video);
    }

    private double satisfactionQuality(int video) {
        return satisfactionQuality == null ? videoQuality[video] : satisfactionQuality[video];
    }

    /**
     * What clickbait and the segment add to the click and stay logits, and take off the finish logit
     * (the same amount: what lures a viewer in is what lets them down).
     */
    private double lure(int user, int video) {
        double lure = clickbaitPull == null ? 0 : clickbaitPull[video];
        return inSegment != null && inSegment[user] ? lure + segmentPull[video] : lure;
    }

    /** What clickbait takes off the commit logit. */
    private double commitLetdown(int video) {
        return clickbaitPull == null ? 0 : clickbaitPull[video];
    }

    private static double[] gaussians(SimulationRandom random, int count, double std) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = std * random.nextGaussian();
        }
        return values;
    }

    /** Builds the world of {@code spec} for {@code seed}; the same pair always gives the same world. */
    public static VideoWorld build(VideoWorldSpec spec, long seed) {
        return new VideoWorld(Objects.requireNonNull(spec, "spec"), seed);
    }

    public VideoWorldSpec spec() {
        return spec;
    }

    public long seed() {
        return seed;
    }

    public int users() {
        return users;
    }

    public int videos() {
        return videos;
    }

    public int category(int video) {
        return videoCategory[checkVideo(video)];
    }

    public double lengthSeconds(int video) {
        return videoLength[checkVideo(video)];
    }

    /** The hidden taste match of a user and a video: a dot product with roughly unit variance. */
    public double affinity(int user, int video) {
        return affinityOf(checkUser(user), checkVideo(video));
    }

    /** A fresh impression stream; the same world and stream seed always give the same impressions. */
    public ImpressionGenerator impressions(long streamSeed) {
        return new ImpressionGenerator(this, streamSeed);
    }

    /** The columns of this world's impressions, in the order the write methods of {@link Impression} use. */
    public ImpressionColumns columns() {
        return ImpressionColumns.of(spec);
    }

    /** How active a user is relative to others (e^{activity log}, log-normal over users): impressions draw users in proportion to it. */
    public double activity(int user) {
        return Math.exp(userActivityLog[checkUser(user)]);
    }

    /** A user drawn the way impressions draw them: in proportion to their activity. */
    public int sampleUser(SimulationRandom random) {
        return userSampler.sample(random);
    }

    /** A video drawn the way impressions draw them: in proportion to its popularity. */
    public int sampleVideo(SimulationRandom random) {
        return videoSampler.sample(random);
    }

    /** A context drawn from the traffic mix: scenario by the autoplay share, device and hour by their weights. */
    public Context sampleContext(SimulationRandom random) {
        Scenario scenario =
                random.nextDouble() < spec.traffic().autoplayShare() ? Scenario.AUTOPLAY : Scenario.EXPLICIT_CLICK;
        Device device = Device.values()[ImpressionGenerator.DEVICES.sample(random)];
        return new Context(scenario, device, ImpressionGenerator.HOURS.sample(random));
    }

    /**
     * The observable features of showing {@code video} to {@code user} in {@code context}, in the
     * column order of {@link #columns()}: what a ranking request carries for that candidate.
     */
    public void writeFeatures(int user, Context context, int video, float[] dense, int[] categorical) {
        Impression impression = new Impression();
        impression.set(
                this,
                checkUser(user),
                checkVideo(video),
                context.scenario().ordinal(),
                context.device().ordinal(),
                context.hour());
        impression.writeDense(dense, 0);
        impression.writeCategorical(categorical, 0);
    }

    /** What {@code user} does, in probability, when shown {@code video} in {@code context}. */
    public ActionProbabilities groundTruth(int user, Context context, int video) {
        checkUser(user);
        checkVideo(video);
        int hour = context.hour();
        double affinity = affinityOf(user, video);
        double engagement = affinity + videoQuality[video];
        double satisfiedAffinity = satisfactionAffinity(user, video, affinity);
        double satisfaction = satisfiedAffinity + satisfactionQuality(video);
        double lure = lure(user, video);
        double commitLetdown = commitLetdown(video);
        double length = videoLength[video];
        double click = model.click(
                affinity,
                videoQuality[video],
                userActivityLog[user],
                userBias[user],
                context.scenario().ordinal(),
                context.device().ordinal(),
                hour,
                lure);
        double play;
        double clickGivenPlay;
        if (context.scenario() == Scenario.AUTOPLAY) {
            play = 1 - (1 - click) * (1 - model.stay(engagement, lure));
            clickGivenPlay = click / play;
        } else {
            play = click;
            clickGivenPlay = 1;
        }
        double committedAfterClick = model.committed(true, satisfaction, hour, commitLetdown);
        double committed = clickGivenPlay * committedAfterClick
                + (1 - clickGivenPlay) * model.committed(false, satisfaction, hour, commitLetdown);
        double passiveMean = model.passiveMean(satisfaction, hour);
        double fullWatch = model.fullWatch(satisfaction, length, lure);
        double abandonShape = model.abandonShape(satisfaction);
        double validSeconds = model.validSeconds(length);
        double validGivenPlay =
                committed * ResponseModel.committedValidProbability(fullWatch, abandonShape, validSeconds, length)
                        + (1 - committed) * ResponseModel.passiveValidProbability(passiveMean, validSeconds);
        double completionGivenPlay = committed * ResponseModel.committedExpectedCompletion(fullWatch, abandonShape)
                + (1 - committed) * ResponseModel.passiveExpectedSeconds(passiveMean, length) / length;
        double shareGivenClick = committedAfterClick * model.share(true, satisfaction)
                + (1 - committedAfterClick) * model.share(false, satisfaction);
        return new ActionProbabilities(
                click,
                play,
                play * validGivenPlay,
                shareGivenClick,
                model.comment(satisfiedAffinity, userCommentTrait[user]),
                completionGivenPlay * length,
                completionGivenPlay);
    }

    /**
     * Draws what {@code user} does when shown {@code video} in {@code context}, into {@code into}:
     * the primitive an A/B simulation calls for each recommendation it makes.
     */
    public Impression respond(int user, Context context, int video, SimulationRandom random, Impression into) {
        respond(
                checkUser(user),
                checkVideo(video),
                context.scenario().ordinal(),
                context.device().ordinal(),
                context.hour(),
                random,
                into);
        return into;
    }

    /** The hot path: no allocation, no checks beyond what the callers guarantee. */
    void respond(int user, int video, int scenario, int device, int hour, SimulationRandom random, Impression out) {
        double affinity = affinityOf(user, video);
        double quality = videoQuality[video];
        double engagement = affinity + quality;
        double satisfiedAffinity = satisfactionAffinity(user, video, affinity);
        double satisfaction = satisfiedAffinity + satisfactionQuality(video);
        double lure = lure(user, video);
        double length = videoLength[video];
        boolean click = random.nextDouble()
                < model.click(affinity, quality, userActivityLog[user], userBias[user], scenario, device, hour, lure);
        boolean play = click || (scenario == 0 && random.nextDouble() < model.stay(engagement, lure));
        boolean committed = false;
        double seconds = 0;
        if (play) {
            committed = random.nextDouble() < model.committed(click, satisfaction, hour, commitLetdown(video));
            if (!committed) {
                seconds = ResponseModel.passiveSeconds(
                        model.passiveMean(satisfaction, hour), length, random.nextDouble());
            } else if (random.nextDouble() < model.fullWatch(satisfaction, length, lure)) {
                seconds = length;
            } else {
                seconds = ResponseModel.committedSeconds(model.abandonShape(satisfaction), length, random.nextDouble());
            }
        }
        boolean share = click && random.nextDouble() < model.share(committed, satisfaction);
        boolean comment = click && random.nextDouble() < model.comment(satisfiedAffinity, userCommentTrait[user]);
        out.set(this, user, video, scenario, device, hour);
        out.setOutcome(click, play, seconds, play && seconds >= model.validSeconds(length), share, comment);
    }

    private double affinityOf(int user, int video) {
        return dot(user, videoFactors, video);
    }

    /** The user's latent factors against one video's row of {@code factors}. */
    private double dot(int user, double[] factors, int video) {
        double sum = 0;
        int u = user * dimension;
        int v = video * dimension;
        for (int k = 0; k < dimension; k++) {
            sum += userFactors[u + k] * factors[v + k];
        }
        return sum;
    }

    private int checkUser(int user) {
        if (user < 0 || user >= users) {
            throw new IllegalArgumentException("user must be in 0.." + (users - 1) + ", was " + user);
        }
        return user;
    }

    private int checkVideo(int video) {
        if (video < 0 || video >= videos) {
            throw new IllegalArgumentException("video must be in 0.." + (videos - 1) + ", was " + video);
        }
        return video;
    }
}
