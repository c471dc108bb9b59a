package io.fulcrum.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says in the log which database this process uses, so nobody wonders where their data went. */
@Component
class DatabaseInUseLogger {

    private static final Logger log = LoggerFactory.getLogger(DatabaseInUseLogger.class);

    private final DataSource dataSource;
    private final ObjectProvider<EmbeddedPostgresServer.Lease> embedded;

    DatabaseInUseLogger(DataSource dataSource, ObjectProvider<EmbeddedPostgresServer.Lease> embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
    }

    @EventListener(ApplicationReadyEvent.class)
    void logDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            EmbeddedPostgresServer.Lease lease = embedded.getIfAvailable();
            if (lease != null) {
                log.info(
                        "Database: embedded {} {} at {} (data in {})",
                        meta.getDatabaseProductName(),
                        meta.getDatabaseProductVersion(),
                        meta.getURL(),
                        lease.dataDir());
            } else {
                log.info(
                        "Database: external {} {} at {}",
                        meta.getDatabaseProductName(),
                        meta.getDatabaseProductVersion(),
                        meta.getURL());
            }
        }
    }
}
