package io.fulcrum.mtl.metric;

import java.util.Collection;

/**
 * A model's verdict from its per-task calls ({@link TaskCall}) over paired seeds: POSITIVE when some
 * task is better and none worse, SEESAW when some are better and some worse, NEGATIVE_TRANSFER when
 * none is better and some worse, NEUTRAL when none is either; INCONCLUSIVE with fewer than
 * {@link #MIN_SEEDS} paired seeds, or when some task's gain is undefined, whatever the other calls say.
 */
public enum SeesawVerdict {
    POSITIVE,
    SEESAW,
    NEGATIVE_TRANSFER,
    NEUTRAL,
    INCONCLUSIVE;

    /** The fewest paired seeds a verdict other than INCONCLUSIVE needs. */
    public static final int MIN_SEEDS = 3;

    /**
     * @param calls one per task
     * @param pairedSeeds the seeds where both the model and its baseline finished
     */
    public static SeesawVerdict of(Collection<TaskCall> calls, int pairedSeeds) {
        if (pairedSeeds < MIN_SEEDS || calls.contains(TaskCall.UNDEFINED)) {
            return INCONCLUSIVE;
        }
        boolean better = calls.contains(TaskCall.BETTER);
        boolean worse = calls.contains(TaskCall.WORSE);
        if (better) {
            return worse ? SEESAW : POSITIVE;
        }
        return worse ? NEGATIVE_TRANSFER : NEUTRAL;
    }
}
