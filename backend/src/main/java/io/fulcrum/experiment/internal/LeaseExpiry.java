package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.RunQueue;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every node (server or worker) requeues runs whose lease expired, so a dead worker's run is picked
 * up whichever nodes survive. The statement is idempotent; nodes racing on it do no harm.
 */
@Component
public class LeaseExpiry {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

    private final RunQueue queue;
    private final Duration grace;

    LeaseExpiry(RunQueue queue, @Value("${fulcrum.worker.lease:30s}") Duration grace) {
        this.queue = queue;
        this.grace = grace;
    }

    @Scheduled(
            fixedDelayString = "${fulcrum.runs.expiry-check:5s}",
            initialDelayString = "${fulcrum.runs.expiry-check:5s}")
    public void expire() {
        try {
            int expired = queue.expireLeases(grace);
            if (expired > 0) {
                log.warn("{} run(s) lost their worker's lease and went back to the queue (or failed)", expired);
            }
        } catch (RuntimeException e) {
            log.warn("lease expiry check failed ({}); trying again later", e.getMessage());
        }
    }
}
