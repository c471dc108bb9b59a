package io.fulcrum.simulator;

/**
 * Label rates and the valid-view / completion correlation of a sample of impressions, per scenario
 * and overall: what {@code docs/simulator.md} reports and the invariant tests check.
 */
final class LabelStatistics {

    /** Index 0 and 1 are the scenarios by ordinal, 2 is all impressions. */
    static final int ALL = 2;

    private final long[] impressions = new long[3];
    private final long[] clicks = new long[3];
    private final long[] plays = new long[3];
    private final long[] validViews = new long[3];
    private final long[] shares = new long[3];
    private final long[] comments = new long[3];
    private final double[] watchSeconds = new double[3];
    // Sums over plays for the completion mean and the Pearson correlation of valid view and completion.
    private final double[] completion = new double[3];
    private final double[] completionSquares = new double[3];
    private final double[] validTimesCompletion = new double[3];

    void add(Impression impression) {
        int scenario = impression.scenario().ordinal();
        add(scenario, impression);
        add(ALL, impression);
    }

    private void add(int slot, Impression impression) {
        impressions[slot]++;
        if (impression.click()) {
            clicks[slot]++;
            shares[slot] += impression.share() ? 1 : 0;
            comments[slot] += impression.comment() ? 1 : 0;
        }
        if (impression.play()) {
            plays[slot]++;
            double ratio = impression.completionRatio();
            double valid = impression.validView() ? 1 : 0;
            validViews[slot] += impression.validView() ? 1 : 0;
            watchSeconds[slot] += impression.watchSeconds();
            completion[slot] += ratio;
            completionSquares[slot] += ratio * ratio;
            validTimesCompletion[slot] += valid * ratio;
        }
    }

    long impressions(int slot) {
        return impressions[slot];
    }

    double clickRate(int slot) {
        return (double) clicks[slot] / impressions[slot];
    }

    double playRate(int slot) {
        return (double) plays[slot] / impressions[slot];
    }

    double validViewRate(int slot) {
        return (double) validViews[slot] / impressions[slot];
    }

    double validViewRateOfPlays(int slot) {
        return (double) validViews[slot] / plays[slot];
    }

    double meanCompletionOfPlays(int slot) {
        return completion[slot] / plays[slot];
    }

    double meanWatchSecondsOfPlays(int slot) {
        return watchSeconds[slot] / plays[slot];
    }

    double shareRateOfClicks(int slot) {
        return (double) shares[slot] / clicks[slot];
    }

    double commentRateOfClicks(int slot) {
        return (double) comments[slot] / clicks[slot];
    }

    /** Pearson correlation of the valid-view label and the completion ratio, over plays. */
    double validViewCompletionCorrelation(int slot) {
        double n = plays[slot];
        double meanValid = validViews[slot] / n;
        double meanRatio = completion[slot] / n;
        double covariance = validTimesCompletion[slot] / n - meanValid * meanRatio;
        double validVariance = meanValid * (1 - meanValid);
        double ratioVariance = completionSquares[slot] / n - meanRatio * meanRatio;
        return covariance / Math.sqrt(validVariance * ratioVariance);
    }
}
