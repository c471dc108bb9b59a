package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.EventLog;
import io.fulcrum.rollout.EventRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a validated batch of events all or nothing: one transaction appends it through {@link
 * EventLog} in chunks. Events whose id was stored before (by an earlier post, a concurrent post of
 * the same batch, or earlier in the same batch) are counted as duplicates and not stored again.
 */
@Service
public class EventIngestion {

    /** What a batch did: {@code accepted} new events, {@code duplicates} = received − accepted. */
    public record Result(int received, int accepted, int duplicates) {}

    /** Lost lock races (deadlock victims) retry the whole transaction this often. */
    public static final int ATTEMPTS = 3;

    private final EventLog log;
    private final TransactionTemplate transactions;
    private final int chunk;

    EventIngestion(
            EventLog log,
            PlatformTransactionManager transactionManager,
            @Value("${fulcrum.events.chunk-size:2000}") int chunk) {
        this.log = log;
        this.transactions = new TransactionTemplate(transactionManager);
        this.chunk = chunk;
    }

    public Result ingest(List<EventRecord> events) {
        // First occurrence wins, then ids in one global order: two batches that share ids claim them in
        // the same order, so one waits for the other instead of deadlocking.
        Map<String, EventRecord> first = new LinkedHashMap<>();
        for (EventRecord e : events) {
            first.putIfAbsent(e.eventId(), e);
        }
        List<EventRecord> unique = new ArrayList<>(first.values());
        unique.sort(Comparator.comparing(EventRecord::eventId));
        if (unique.isEmpty()) {
            return new Result(0, 0, 0);
        }
        log.ensurePartitions(unique);
        for (int attempt = 1; ; attempt++) {
            try {
                Integer accepted = transactions.execute(status -> {
                    int n = 0;
                    for (int from = 0; from < unique.size(); from += chunk) {
                        n += log.append(unique.subList(from, Math.min(unique.size(), from + chunk)));
                    }
                    return n;
                });
                int a = accepted == null ? 0 : accepted;
                return new Result(events.size(), a, events.size() - a);
            } catch (ConcurrencyFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
