package io.fulcrum.simulator;

/**
 * The ground truth for one (user, context, video): what the sampled labels of that impression are
 * drawn from. Watch figures are conditional on a play, share and comment on a click, matching the
 * sample spaces of the completion-ratio, share and comment labels.
 *
 * @param click P(click)
 * @param play P(play); equals {@code click} in the explicit-click scenario
 * @param validView P(play and the watch time reaches the valid-view threshold)
 * @param shareGivenClick P(share | click)
 * @param commentGivenClick P(comment | click)
 * @param expectedWatchSecondsGivenPlay E[watch time | play], seconds
 * @param expectedCompletionGivenPlay E[watch time / length | play], in [0, 1]
 */
public record ActionProbabilities(
        double click,
        double play,
        double validView,
        double shareGivenClick,
        double commentGivenClick,
        double expectedWatchSecondsGivenPlay,
        double expectedCompletionGivenPlay) {

    public double validViewGivenPlay() {
        return play == 0 ? 0 : validView / play;
    }

    /** E[watch time] over all impressions, counting no play as zero seconds. */
    public double expectedWatchSeconds() {
        return play * expectedWatchSecondsGivenPlay;
    }

    public double share() {
        return click * shareGivenClick;
    }

    public double comment() {
        return click * commentGivenClick;
    }
}
