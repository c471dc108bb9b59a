package io.fulcrum.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Settings of the PostgreSQL server that Fulcrum starts itself when no datasource URL is given.
 *
 * @param dataDir where the cluster lives; it persists across restarts unless {@code cleanOnStart}
 * @param port the port to listen on; 0 picks a free one
 * @param cleanOnStart wipe the data directory the first time the server starts in this JVM (tests)
 * @param durable whether a commit waits until its WAL is flushed to disk (fsync and synchronous
 *     commit on, PostgreSQL's own defaults; default true). Off, a crash of PostgreSQL may lose the
 *     last acknowledged commits and a crash of the machine may corrupt the cluster: only for
 *     throw-away clusters such as the tests'.
 */
@ConfigurationProperties("fulcrum.database.embedded")
public record EmbeddedDatabaseProperties(Path dataDir, int port, boolean cleanOnStart, Boolean durable) {

    @ConstructorBinding
    public EmbeddedDatabaseProperties {
        if (dataDir == null) {
            dataDir = Path.of("fulcrum-data", "pg");
        }
        durable = durable == null || durable;
    }

    /** A durable cluster. */
    public EmbeddedDatabaseProperties(Path dataDir, int port, boolean cleanOnStart) {
        this(dataDir, port, cleanOnStart, true);
    }
}
