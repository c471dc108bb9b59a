package io.fulcrum.simulator;

/**
 * How a user reacts to a video, as probabilities and distributions of the hidden drivers (affinity,
 * quality, the user's traits) and the context. Sampling and the ground truth both call these
 * functions, so the labels are drawn from exactly the probabilities the ground truth reports.
 *
 * <p>A play is either <em>committed</em> (the user decided to watch: how far they get is a share of
 * the video, so completion does not depend on length) or <em>passive</em> (an auto-played video the
 * user leaves after some seconds, so completion falls with length). Clicked plays are mostly
 * committed and unclicked auto-plays mostly passive, which is what makes the valid-view /
 * completion relation differ between the two scenarios.
 */
final class ResponseModel {

    private static final int DEVICES = Device.values().length;

    private final double clickBase;
    private final double clickAffinity;
    private final double clickQuality;
    private final double clickActivity;
    private final double clickAutoplayOffset;
    private final double[] clickContextOffset = new double[DEVICES * 24];
    private final double[] watchHourBoost = new double[24];

    private final double stayBase;
    private final double stayEngagement;
    private final double committedAfterClick;
    private final double committedPassive;
    private final double committedEngagement;
    private final double passiveMeanSeconds;
    private final double passiveEngagement;
    private final double fullWatchBase;
    private final double fullWatchEngagement;
    private final double fullWatchLength;
    private final double logMedianLength;
    private final double abandonBase;
    private final double abandonEngagement;
    final double validViewSeconds;

    private final double shareBase;
    private final double shareEngagement;
    private final double shareCommittedBoost;
    private final double commentBase;
    private final double commentIntensity;

    ResponseModel(VideoWorldSpec spec) {
        var clicks = spec.clicks();
        clickBase = clicks.base();
        clickAffinity = clicks.affinityWeight();
        clickQuality = clicks.qualityWeight();
        clickActivity = clicks.activityWeight();
        clickAutoplayOffset = clicks.autoplayOffset();
        double contextEffect = spec.traffic().contextEffect();
        for (int device = 0; device < DEVICES; device++) {
            for (int hour = 0; hour < 24; hour++) {
                clickContextOffset[device * 24 + hour] =
                        contextEffect * (DEVICE_CLICK_OFFSET[device] + 0.2 * Math.cos(2 * Math.PI * (hour - 20) / 24));
            }
        }
        for (int hour = 0; hour < 24; hour++) {
            watchHourBoost[hour] = contextEffect * 0.3 * Math.cos(2 * Math.PI * (hour - 21) / 24);
        }
        var watching = spec.watching();
        stayBase = watching.autoplayStayBase();
        stayEngagement = watching.autoplayStayEngagementWeight();
        committedAfterClick = watching.committedAfterClickBase();
        committedPassive = watching.committedPassiveBase();
        committedEngagement = watching.committedEngagementWeight();
        passiveMeanSeconds = watching.passiveMeanSeconds();
        passiveEngagement = watching.passiveEngagementWeight();
        fullWatchBase = watching.fullWatchBase();
        fullWatchEngagement = watching.fullWatchEngagementWeight();
        fullWatchLength = watching.fullWatchLengthWeight();
        logMedianLength = Math.log(spec.population().lengthMedianSeconds());
        abandonBase = watching.abandonBase();
        abandonEngagement = watching.abandonEngagementWeight();
        validViewSeconds = watching.validViewSeconds();
        var engagement = spec.engagement();
        shareBase = engagement.shareBase();
        shareEngagement = engagement.shareEngagementWeight();
        shareCommittedBoost = engagement.shareCommittedBoost();
        commentBase = engagement.commentBase();
        commentIntensity = engagement.commentIntensityWeight();
    }

    /** Web users browse deliberately and click more; documented in docs/simulator.md. */
    static final double[] DEVICE_CLICK_OFFSET = {0.0, 0.15, 0.35};

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** @param lure what the conflict knobs add to the click and stay logits (0 without them) */
    double click(
            double affinity,
            double quality,
            double activityLog,
            double userBias,
            int scenario,
            int device,
            int hour,
            double lure) {
        double z = lure
                + clickBase
                + clickAffinity * affinity
                + clickQuality * quality
                + clickActivity * activityLog
                + userBias
                + clickContextOffset[device * 24 + hour]
                + (scenario == 0 ? clickAutoplayOffset : 0);
        return sigmoid(z);
    }

    /** Chance that an auto-played video is not scrolled past at once. */
    double stay(double engagement, double lure) {
        return sigmoid(stayBase + stayEngagement * engagement + lure);
    }

    /** @param letdown what the conflict knobs take off the commit logit (0 without them) */
    double committed(boolean clicked, double engagement, int hour, double letdown) {
        double base = clicked ? committedAfterClick : committedPassive;
        return sigmoid(base + committedEngagement * engagement + watchHourBoost[hour] - letdown);
    }

    /** Mean of the exponential time a passive viewer stays, before truncation at the video's end. */
    double passiveMean(double engagement, int hour) {
        return passiveMeanSeconds * Math.exp(passiveEngagement * engagement + watchHourBoost[hour]);
    }

    /** Chance that a committed viewer watches to the end; long videos are finished less often. */
    double fullWatch(double engagement, double lengthSeconds, double letdown) {
        return sigmoid(fullWatchBase
                + fullWatchEngagement * engagement
                - fullWatchLength * (Math.log(lengthSeconds) - logMedianLength)
                - letdown);
    }

    /**
     * Shape b of the Beta(1, b) share of the video a committed viewer who does not finish watches:
     * P(share ≥ x) = (1 − x)^b, mean 1 / (1 + b). Engaged viewers get a small b and stay longer.
     */
    double abandonShape(double engagement) {
        return Math.exp(abandonBase - abandonEngagement * engagement);
    }

    double share(boolean committed, double engagement) {
        return sigmoid(shareBase + shareEngagement * engagement + (committed ? shareCommittedBoost : 0));
    }

    /** Strong feelings either way make people comment, hence |affinity|. */
    double comment(double affinity, double userTrait) {
        return sigmoid(commentBase + commentIntensity * Math.abs(affinity) + userTrait);
    }

    /** A valid view needs the threshold, or the whole video when it is shorter than the threshold. */
    double validSeconds(double lengthSeconds) {
        return Math.min(validViewSeconds, lengthSeconds);
    }

    static double passiveValidProbability(double mean, double validSeconds) {
        return Math.exp(-validSeconds / mean);
    }

    static double passiveExpectedSeconds(double mean, double lengthSeconds) {
        return -mean * Math.expm1(-lengthSeconds / mean);
    }

    static double committedValidProbability(
            double fullWatch, double abandonShape, double validSeconds, double lengthSeconds) {
        return fullWatch + (1 - fullWatch) * Math.pow(1 - validSeconds / lengthSeconds, abandonShape);
    }

    static double committedExpectedCompletion(double fullWatch, double abandonShape) {
        return fullWatch + (1 - fullWatch) / (1 + abandonShape);
    }

    /** Inverse CDF of the passive watch time: min(length, Exponential(mean)). */
    static double passiveSeconds(double mean, double lengthSeconds, double uniform) {
        return Math.min(lengthSeconds, -mean * Math.log1p(-uniform));
    }

    /** Inverse CDF of a committed, unfinished watch: length · Beta(1, b). */
    static double committedSeconds(double abandonShape, double lengthSeconds, double uniform) {
        return lengthSeconds * -Math.expm1(Math.log1p(-uniform) / abandonShape);
    }
}
