package io.fulcrum.rollout;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the ranking endpoint (prefix {@code fulcrum.serving}).
 *
 * @param modelCacheBytes memory budget of the loaded model versions (parameters × 4 bytes × replicas);
 *     the least recently used version is evicted beyond it (default 512MB)
 * @param replicas copies of each loaded version that score requests side by side; a forward pass of
 *     one copy is not safe for concurrent use (default: the available processors)
 * @param maxCandidates most candidates one request may send (default 1000)
 * @param routingTtl how long a surface's routing is cached when no change event drops it (default 5s)
 * @param borrowTimeout how long a request waits for a free replica before it fails (default 10s)
 * @param torchThreads PyTorch intra-op threads of a thread that scores requests (default 1: requests run
 *     side by side instead, and a busy machine does not stall every forward pass on a thread barrier);
 *     0 leaves the engine's default. PyTorch also takes it as the default of threads that start using
 *     it later, such as an embedded worker's first run
 * @param durableLog whether a request's log commit waits for its WAL flush (default false: the log of
 *     the last fraction of a second before a crash may be lost, each request's whole or not at all)
 * @param exposureFlush how long a ranking's exposure events may wait, off the request path, to be
 *     written in one batch with others (default 20ms)
 * @param exposureQueue how many rankings' exposures may wait; beyond it a request writes its own in
 *     its thread, so a slow database slows the endpoint rather than losing events (default 20000)
 */
@ConfigurationProperties("fulcrum.serving")
public record ServingProperties(
        DataSize modelCacheBytes,
        Integer replicas,
        Integer maxCandidates,
        Duration routingTtl,
        Duration borrowTimeout,
        Integer torchThreads,
        Boolean durableLog,
        Duration exposureFlush,
        Integer exposureQueue) {

    public ServingProperties {
        modelCacheBytes = modelCacheBytes == null ? DataSize.ofMegabytes(512) : modelCacheBytes;
        replicas = replicas == null || replicas < 1 ? Runtime.getRuntime().availableProcessors() : replicas;
        maxCandidates = maxCandidates == null ? 1000 : maxCandidates;
        routingTtl = routingTtl == null ? Duration.ofSeconds(5) : routingTtl;
        borrowTimeout = borrowTimeout == null ? Duration.ofSeconds(10) : borrowTimeout;
        torchThreads = torchThreads == null ? 1 : torchThreads;
        durableLog = durableLog != null && durableLog;
        exposureFlush = exposureFlush == null ? Duration.ofMillis(20) : exposureFlush;
        exposureQueue = exposureQueue == null ? 20_000 : exposureQueue;
        if (exposureFlush.isNegative() || exposureFlush.isZero()) {
            throw new IllegalArgumentException("fulcrum.serving.exposure-flush must be positive");
        }
        if (exposureQueue < 1) {
            throw new IllegalArgumentException("fulcrum.serving.exposure-queue must be at least 1");
        }
        if (torchThreads < 0) {
            throw new IllegalArgumentException("fulcrum.serving.torch-threads must be at least 0");
        }
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("fulcrum.serving.max-candidates must be at least 1");
        }
    }

    public static ServingProperties defaults() {
        return new ServingProperties(null, null, null, null, null, null, null, null, null);
    }
}
