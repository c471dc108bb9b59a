package io.fulcrum.dataset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** At the server's start, publishes the caches of datasets registered before caches went through the artifact store. */
@Component
@ConditionalOnProperty(name = "fulcrum.role", havingValue = "server", matchIfMissing = true)
class DatasetCachePublisher {

    private static final Logger log = LoggerFactory.getLogger(DatasetCachePublisher.class);

    private final DatasetManagement datasets;

    DatasetCachePublisher(DatasetManagement datasets) {
        this.datasets = datasets;
    }

    @EventListener(ApplicationReadyEvent.class)
    void publish() {
        int published = datasets.publishUnpublishedCaches();
        if (published > 0) {
            log.info(
                    "Published {} older dataset cache(s) to the artifact store for workers without this data directory",
                    published);
        }
    }
}
