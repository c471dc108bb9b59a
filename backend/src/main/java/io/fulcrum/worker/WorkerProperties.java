package io.fulcrum.worker;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of this node's worker (prefix {@code fulcrum.worker}).
 *
 * @param embedded whether the server also runs a worker (default true, so one machine needs nothing else)
 * @param name how the worker is listed; the host name by default
 * @param labels labels runs can ask for, e.g. a100 or big-memory
 * @param concurrency runs trained at once; 0 = one per device (each GPU, or one for the CPU)
 * @param heartbeat how often the worker reports and renews its leases
 * @param lease how long a lease lasts without renewal; a worker silent for longer is LOST
 * @param poll how long an idle worker waits before asking the queue again
 * @param token the WORKER API token a worker process ({@code fulcrum.role=worker}) must present;
 *     the server's embedded worker needs none
 * @param expectGpu whether this node should have a GPU (a CPU fall-back is then a warning)
 * @param idleExit a worker process (not the server's embedded worker) exits after this long without a
 *     run, so that a launched worker's Job completes; null: never
 */
@ConfigurationProperties("fulcrum.worker")
public record WorkerProperties(
        Boolean embedded,
        String name,
        List<String> labels,
        Integer concurrency,
        Duration heartbeat,
        Duration lease,
        Duration poll,
        String token,
        Boolean expectGpu,
        Duration idleExit) {

    public WorkerProperties {
        embedded = embedded == null || embedded;
        labels = labels == null
                ? List.of()
                : labels.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        concurrency = concurrency == null ? 0 : concurrency;
        heartbeat = heartbeat == null ? Duration.ofSeconds(2) : heartbeat;
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        poll = poll == null ? Duration.ofSeconds(1) : poll;
        token = token == null ? "" : token.strip();
        if (idleExit != null && (idleExit.isNegative() || idleExit.isZero())) {
            throw new IllegalArgumentException("fulcrum.worker.idle-exit must be positive, got " + idleExit);
        }
        if (lease.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("fulcrum.worker.lease (" + lease
                    + ") must be at least three heartbeats (" + heartbeat + ") so one late beat loses nothing");
        }
    }

    /** Without the token: settings end up in logs and error messages, a secret must not. */
    @Override
    public String toString() {
        return "WorkerProperties[embedded=" + embedded + ", name=" + name + ", labels=" + labels + ", concurrency="
                + concurrency + ", heartbeat=" + heartbeat + ", lease=" + lease + ", poll=" + poll + ", idleExit="
                + idleExit + ", token="
                + (token.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
