package io.fulcrum.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the PostgreSQL server that Fulcrum starts itself when no datasource URL is given.
 *
 * @param dataDir where the cluster lives; it persists across restarts unless {@code cleanOnStart}
 * @param port the port to listen on; 0 picks a free one
 * @param cleanOnStart wipe the data directory the first time the server starts in this JVM (tests)
 */
@ConfigurationProperties("fulcrum.database.embedded")
public record EmbeddedDatabaseProperties(Path dataDir, int port, boolean cleanOnStart) {

    public EmbeddedDatabaseProperties {
        if (dataDir == null) {
            dataDir = Path.of("fulcrum-data", "pg");
        }
    }
}
