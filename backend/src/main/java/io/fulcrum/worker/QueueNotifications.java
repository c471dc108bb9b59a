package io.fulcrum.worker;

import io.fulcrum.experiment.RunQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's NOTIFY channels of the run queue, so that an idle worker claims a new run
 * at once and a running one stops within a training step of its cancellation, instead of waiting
 * for the next poll. Polling stays as the fallback: a lost notification only costs latency.
 */
final class QueueNotifications implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueNotifications.class);

    private final DataSource dataSource;
    private final Runnable onQueued;
    private final LongConsumer onCancel;
    private volatile boolean stopped;

    QueueNotifications(DataSource dataSource, Runnable onQueued, LongConsumer onCancel) {
        this.dataSource = dataSource;
        this.onQueued = onQueued;
        this.onCancel = onCancel;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long delay = 500;
        while (!stopped) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + RunQueue.QUEUE_CHANNEL);
                    s.execute("LISTEN " + RunQueue.CANCEL_CHANNEL);
                }
                delay = 500;
                onQueued.run(); // whatever was queued while we were not listening
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        dispatch(notifications);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.debug("queue notifications interrupted ({}); listening again in {} ms", e.getMessage(), delay);
                Backoff.sleep(delay);
                delay = Math.min(delay * 2, 30_000);
            }
        }
    }

    private void dispatch(PGNotification[] notifications) {
        for (PGNotification n : notifications) {
            if (n.getName().equals(RunQueue.CANCEL_CHANNEL)) {
                try {
                    onCancel.accept(Long.parseLong(n.getParameter()));
                } catch (NumberFormatException e) {
                    log.debug("ignoring a cancel notification without a run id: {}", n.getParameter());
                }
            } else {
                onQueued.run();
            }
        }
    }
}
