package io.fulcrum.experiment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every node (server or worker) requeues runs whose lease expired, so a dead worker's run is picked
 * up whichever nodes survive. The statement is idempotent; nodes racing on it do no harm.
 */
@Component
class LeaseExpiry {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

    private final RunQueue queue;

    LeaseExpiry(RunQueue queue) {
        this.queue = queue;
    }

    @Scheduled(
            fixedDelayString = "${fulcrum.runs.expiry-check:5s}",
            initialDelayString = "${fulcrum.runs.expiry-check:5s}")
    void expire() {
        try {
            int expired = queue.expireLeases();
            if (expired > 0) {
                log.warn("{} run(s) lost their worker's lease and went back to the queue (or failed)", expired);
            }
        } catch (RuntimeException e) {
            log.warn("lease expiry check failed ({}); trying again later", e.getMessage());
        }
    }
}
