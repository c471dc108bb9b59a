package io.fulcrum.worker;

import java.time.Duration;
import java.util.function.LongSupplier;

/** How long a worker has gone without a run, against its idle-exit limit. */
final class IdleClock {

    private final long limitNanos;
    private final LongSupplier nanoTime;
    private long lastBusy;

    IdleClock(Duration limit, LongSupplier nanoTime) {
        this.limitNanos = limit.toNanos();
        this.nanoTime = nanoTime;
        this.lastBusy = nanoTime.getAsLong();
    }

    /** Called at every tick: true once the worker has been without a run for the whole limit. */
    synchronized boolean expired(boolean busy) {
        long now = nanoTime.getAsLong();
        if (busy) {
            lastBusy = now;
            return false;
        }
        return now - lastBusy >= limitNanos;
    }
}
