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
 */
@ConfigurationProperties("fulcrum.serving")
public record ServingProperties(
        DataSize modelCacheBytes,
        Integer replicas,
        Integer maxCandidates,
        Duration routingTtl,
        Duration borrowTimeout) {

    public ServingProperties {
        modelCacheBytes = modelCacheBytes == null ? DataSize.ofMegabytes(512) : modelCacheBytes;
        replicas = replicas == null || replicas < 1 ? Runtime.getRuntime().availableProcessors() : replicas;
        maxCandidates = maxCandidates == null ? 1000 : maxCandidates;
        routingTtl = routingTtl == null ? Duration.ofSeconds(5) : routingTtl;
        borrowTimeout = borrowTimeout == null ? Duration.ofSeconds(10) : borrowTimeout;
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("fulcrum.serving.max-candidates must be at least 1");
        }
    }

    public static ServingProperties defaults() {
        return new ServingProperties(null, null, null, null, null);
    }
}
