package io.fulcrum.dataset.io;

/**
 * What an import does with a line it cannot use: REJECT fails the whole import at the first one;
 * SKIP leaves such lines out, reports them, and fails once more than {@code maxSkipped} are found.
 */
public record BadRowPolicy(Mode mode, long maxSkipped) {

    public static final BadRowPolicy REJECT = new BadRowPolicy(Mode.REJECT, 0);

    public enum Mode {
        REJECT,
        SKIP
    }

    public static BadRowPolicy skipUpTo(long maxSkipped) {
        return new BadRowPolicy(Mode.SKIP, maxSkipped);
    }
}
