package io.fulcrum.mtl.metric;

/**
 * A model's verdict from its per-task MTL gains. A gain counts as positive only above the tolerance
 * (a change within it is "no change"): POSITIVE when every task gains, NEGATIVE_TRANSFER when none
 * does, SEESAW when some gain and others do not.
 */
public enum SeesawVerdict {
    POSITIVE,
    SEESAW,
    NEGATIVE_TRANSFER;

    public static SeesawVerdict of(double[] gains, double tolerance) {
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance: must be >= 0, got " + tolerance);
        }
        int positive = 0;
        for (double g : gains) {
            if (g > tolerance) {
                positive++;
            }
        }
        if (positive == gains.length) {
            return POSITIVE;
        }
        return positive == 0 ? NEGATIVE_TRANSFER : SEESAW;
    }
}
