package io.fulcrum.simulator;

/**
 * Every knob of the simulated video world, grouped by what it shapes. Each field may be left null
 * (or left out of a JSON spec) to take its documented default, so {@code {"population": {"users":
 * 1000}}} is a complete spec. Invalid values are rejected with a message naming the field, e.g.
 * {@code population.users must be at least 1, was 0}. The meaning of every knob is in
 * {@code docs/simulator.md}.
 */
public record VideoWorldSpec(
        Population population,
        Traffic traffic,
        Clicks clicks,
        Watching watching,
        Engagement engagement,
        Observation observation,
        Conflict conflict) {

    /** The groups before {@code conflict}; every conflict knob at its default (today's world). */
    public VideoWorldSpec(
            Population population,
            Traffic traffic,
            Clicks clicks,
            Watching watching,
            Engagement engagement,
            Observation observation) {
        this(population, traffic, clicks, watching, engagement, observation, null);
    }

    public VideoWorldSpec {
        population = population == null ? Population.defaults() : population;
        traffic = traffic == null ? Traffic.defaults() : traffic;
        clicks = clicks == null ? Clicks.defaults() : clicks;
        watching = watching == null ? Watching.defaults() : watching;
        engagement = engagement == null ? Engagement.defaults() : engagement;
        observation = observation == null ? Observation.defaults() : observation;
        conflict = conflict == null ? Conflict.defaults() : conflict;
    }

    public static VideoWorldSpec defaults() {
        return new VideoWorldSpec(null, null, null, null, null, null);
    }

    public VideoWorldSpec withPopulation(Population value) {
        return new VideoWorldSpec(value, traffic, clicks, watching, engagement, observation, conflict);
    }

    public VideoWorldSpec withTraffic(Traffic value) {
        return new VideoWorldSpec(population, value, clicks, watching, engagement, observation, conflict);
    }

    public VideoWorldSpec withClicks(Clicks value) {
        return new VideoWorldSpec(population, traffic, value, watching, engagement, observation, conflict);
    }

    public VideoWorldSpec withWatching(Watching value) {
        return new VideoWorldSpec(population, traffic, clicks, value, engagement, observation, conflict);
    }

    public VideoWorldSpec withEngagement(Engagement value) {
        return new VideoWorldSpec(population, traffic, clicks, watching, value, observation, conflict);
    }

    public VideoWorldSpec withObservation(Observation value) {
        return new VideoWorldSpec(population, traffic, clicks, watching, engagement, value, conflict);
    }

    public VideoWorldSpec withConflict(Conflict value) {
        return new VideoWorldSpec(population, traffic, clicks, watching, engagement, observation, value);
    }

    /** Who and what is in the world. */
    public record Population(
            Integer users,
            Integer videos,
            Integer categories,
            Integer latentDimension,
            Double categoryCohesion,
            Double userActivitySigma,
            Double videoQualityStd,
            Double popularitySigma,
            Double popularityQualityCorrelation,
            Double lengthMedianSeconds,
            Double lengthSigma,
            Double minLengthSeconds,
            Double maxLengthSeconds) {

        public Population {
            users = atLeast("population.users", or(users, 50_000), 1);
            videos = atLeast("population.videos", or(videos, 10_000), 1);
            categories = atLeast("population.categories", or(categories, 24), 1);
            latentDimension = between("population.latentDimension", or(latentDimension, 8), 1, 256);
            categoryCohesion = between("population.categoryCohesion", or(categoryCohesion, 0.7), 0, 1);
            userActivitySigma = between("population.userActivitySigma", or(userActivitySigma, 1.0), 0, 5);
            videoQualityStd = between("population.videoQualityStd", or(videoQualityStd, 0.5), 0, 5);
            popularitySigma = between("population.popularitySigma", or(popularitySigma, 1.5), 0, 5);
            popularityQualityCorrelation =
                    between("population.popularityQualityCorrelation", or(popularityQualityCorrelation, 0.5), -1, 1);
            lengthMedianSeconds = between("population.lengthMedianSeconds", or(lengthMedianSeconds, 75.0), 1, 36_000);
            lengthSigma = between("population.lengthSigma", or(lengthSigma, 0.9), 0, 5);
            minLengthSeconds = between("population.minLengthSeconds", or(minLengthSeconds, 5.0), 1, 36_000);
            maxLengthSeconds = between("population.maxLengthSeconds", or(maxLengthSeconds, 1200.0), 1, 36_000);
            if (minLengthSeconds > maxLengthSeconds) {
                throw new IllegalArgumentException("population.minLengthSeconds must not exceed"
                        + " population.maxLengthSeconds, was " + minLengthSeconds + " > " + maxLengthSeconds);
            }
        }

        public static Population defaults() {
            return new Population(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** A world of the given size with every other knob at its default. */
        public static Population ofSize(int users, int videos) {
            return new Population(users, videos, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** What the stream of impressions looks like. */
    public record Traffic(Double autoplayShare, Double contextEffect) {

        public Traffic {
            autoplayShare = between("traffic.autoplayShare", or(autoplayShare, 0.5), 0, 1);
            contextEffect = between("traffic.contextEffect", or(contextEffect, 1.0), 0, 10);
        }

        public static Traffic defaults() {
            return new Traffic(null, null);
        }
    }

    /** The click model: a logistic regression on the latent drivers. */
    public record Clicks(
            Double base,
            Double affinityWeight,
            Double qualityWeight,
            Double activityWeight,
            Double userBiasStd,
            Double autoplayOffset) {

        public Clicks {
            base = between("clicks.base", or(base, -3.3), -20, 20);
            affinityWeight = between("clicks.affinityWeight", or(affinityWeight, 1.2), -20, 20);
            qualityWeight = between("clicks.qualityWeight", or(qualityWeight, 0.6), -20, 20);
            activityWeight = between("clicks.activityWeight", or(activityWeight, 0.2), -20, 20);
            userBiasStd = between("clicks.userBiasStd", or(userBiasStd, 0.6), 0, 5);
            autoplayOffset = between("clicks.autoplayOffset", or(autoplayOffset, -0.3), -20, 20);
        }

        public static Clicks defaults() {
            return new Clicks(null, null, null, null, null, null);
        }
    }

    /** Plays, watch time and the valid-view threshold. */
    public record Watching(
            Double autoplayStayBase,
            Double autoplayStayEngagementWeight,
            Double committedAfterClickBase,
            Double committedPassiveBase,
            Double committedEngagementWeight,
            Double passiveMeanSeconds,
            Double passiveEngagementWeight,
            Double fullWatchBase,
            Double fullWatchEngagementWeight,
            Double fullWatchLengthWeight,
            Double abandonBase,
            Double abandonEngagementWeight,
            Double validViewSeconds) {

        public Watching {
            autoplayStayBase = between("watching.autoplayStayBase", or(autoplayStayBase, 2.2), -20, 20);
            autoplayStayEngagementWeight =
                    between("watching.autoplayStayEngagementWeight", or(autoplayStayEngagementWeight, 0.4), -20, 20);
            committedAfterClickBase =
                    between("watching.committedAfterClickBase", or(committedAfterClickBase, 2.0), -20, 20);
            committedPassiveBase = between("watching.committedPassiveBase", or(committedPassiveBase, -1.2), -20, 20);
            committedEngagementWeight =
                    between("watching.committedEngagementWeight", or(committedEngagementWeight, 1.0), -20, 20);
            passiveMeanSeconds = between("watching.passiveMeanSeconds", or(passiveMeanSeconds, 12.0), 0.1, 36_000);
            passiveEngagementWeight =
                    between("watching.passiveEngagementWeight", or(passiveEngagementWeight, 0.5), -5, 5);
            fullWatchBase = between("watching.fullWatchBase", or(fullWatchBase, -1.2), -20, 20);
            fullWatchEngagementWeight =
                    between("watching.fullWatchEngagementWeight", or(fullWatchEngagementWeight, 1.0), -20, 20);
            fullWatchLengthWeight = between("watching.fullWatchLengthWeight", or(fullWatchLengthWeight, 0.3), -20, 20);
            abandonBase = between("watching.abandonBase", or(abandonBase, 0.5), -5, 5);
            abandonEngagementWeight =
                    between("watching.abandonEngagementWeight", or(abandonEngagementWeight, 0.6), -5, 5);
            validViewSeconds = between("watching.validViewSeconds", or(validViewSeconds, 20.0), 0, 36_000);
        }

        public static Watching defaults() {
            return new Watching(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public Watching withValidViewSeconds(double seconds) {
            return new Watching(
                    autoplayStayBase,
                    autoplayStayEngagementWeight,
                    committedAfterClickBase,
                    committedPassiveBase,
                    committedEngagementWeight,
                    passiveMeanSeconds,
                    passiveEngagementWeight,
                    fullWatchBase,
                    fullWatchEngagementWeight,
                    fullWatchLengthWeight,
                    abandonBase,
                    abandonEngagementWeight,
                    seconds);
        }
    }

    /** Share and comment, which only happen after a click. */
    public record Engagement(
            Double shareBase,
            Double shareEngagementWeight,
            Double shareCommittedBoost,
            Double commentBase,
            Double commentIntensityWeight,
            Double commentUserTraitStd) {

        public Engagement {
            shareBase = between("engagement.shareBase", or(shareBase, -6.0), -20, 20);
            shareEngagementWeight =
                    between("engagement.shareEngagementWeight", or(shareEngagementWeight, 1.0), -20, 20);
            shareCommittedBoost = between("engagement.shareCommittedBoost", or(shareCommittedBoost, 1.0), -20, 20);
            commentBase = between("engagement.commentBase", or(commentBase, -5.0), -20, 20);
            commentIntensityWeight =
                    between("engagement.commentIntensityWeight", or(commentIntensityWeight, 1.0), -20, 20);
            commentUserTraitStd = between("engagement.commentUserTraitStd", or(commentUserTraitStd, 0.8), 0, 5);
        }

        public static Engagement defaults() {
            return new Engagement(null, null, null, null, null, null);
        }
    }

    /** How much of the hidden world the features reveal. */
    public record Observation(Double profileNoise, Double popularityNoise) {

        public Observation {
            profileNoise = between("observation.profileNoise", or(profileNoise, 1.0), 0, 100);
            popularityNoise = between("observation.popularityNoise", or(popularityNoise, 0.3), 0, 100);
        }

        public static Observation defaults() {
            return new Observation(null, null);
        }
    }

    /**
     * What makes the tasks depend on different things (docs/simulator.md, "Task conflict"). At the
     * defaults every task follows one engagement score, as the world always did.
     *
     * @param taskCorrelation ρ in [−1, 1]: the correlation of a video's click appeal (what clicking and
     *     auto-play staying follow) and its satisfaction (what committing, finishing, abandoning, sharing
     *     and commenting follow), for the taste match and for quality alike; 1 makes them one trait
     * @param clickbait κ ≥ 0: the weight of a hidden per-video trait that raises the click and stay
     *     logits by κ·b and lowers the commit and finish logits by as much; with κ > 0 models see it
     *     through video_id and the weak feature {@code video_clickbait_signal} (b plus noise)
     * @param clickbaitSignalNoise the std of that feature's noise around b (standard normal)
     * @param segments a hidden share of users for whom novelty and length raise the click and stay
     *     logits and lower the finish logit
     */
    public record Conflict(Double taskCorrelation, Double clickbait, Double clickbaitSignalNoise, Segments segments) {

        public Conflict {
            taskCorrelation = between("conflict.taskCorrelation", or(taskCorrelation, 1.0), -1, 1);
            clickbait = between("conflict.clickbait", or(clickbait, 0.0), 0, 10);
            clickbaitSignalNoise = between("conflict.clickbaitSignalNoise", or(clickbaitSignalNoise, 2.0), 0, 100);
            segments = segments == null ? Segments.none() : segments;
        }

        public static Conflict defaults() {
            return new Conflict(null, null, null, null);
        }

        /** Whether every knob is at its default, so the world is the one without conflict knobs. */
        public boolean isNone() {
            return taskCorrelation == 1.0 && clickbait == 0.0 && segments.share() == 0.0;
        }
    }

    /**
     * @param share the share of users in the segment, in [0, 1]; 0 (the default) is none
     * @param strength how much a standard deviation of novelty (low popularity) plus length moves their
     *     logits, ≥ 0
     */
    public record Segments(Double share, Double strength) {

        public Segments {
            share = between("conflict.segments.share", or(share, 0.0), 0, 1);
            strength = between("conflict.segments.strength", or(strength, 1.0), 0, 10);
        }

        public static Segments none() {
            return new Segments(null, null);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    private static int between(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    private static double between(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }
}
