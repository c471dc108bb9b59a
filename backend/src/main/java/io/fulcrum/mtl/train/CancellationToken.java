package io.fulcrum.mtl.train;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set from any thread; the trainer checks it before every step. */
public final class CancellationToken {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
