package io.fulcrum.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * One embedded PostgreSQL server per JVM, shared by every Spring context that asks for it.
 *
 * <p>Tests start many application contexts in one JVM; starting a server per context would cost
 * seconds each and split their data, so contexts lease the running server and the last one to
 * close stops it.
 */
public final class EmbeddedPostgresServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Set<Path> cleanedInThisJvm = new HashSet<>();

    /** How long a PostgreSQL left running by a dead Fulcrum gets to stop before a start gives up. */
    private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(60);

    private static EmbeddedPostgres running;
    private static DataDirectoryLock ownership;
    private static Path runningDataDir;
    private static int leases;

    private EmbeddedPostgresServer() {}

    public static synchronized Lease acquire(EmbeddedDatabaseProperties properties) {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        if (running == null) {
            DataDirectoryLock owned = DataDirectoryLock.acquire(dataDir, LEFTOVER_STOP_TIMEOUT);
            try {
                running = start(
                        dataDir,
                        properties.port(),
                        properties.cleanOnStart() && cleanedInThisJvm.add(dataDir),
                        properties.durable());
            } catch (RuntimeException e) {
                owned.close();
                throw e;
            }
            ownership = owned;
            runningDataDir = dataDir;
        } else if (!runningDataDir.equals(dataDir)) {
            throw new IllegalStateException("An embedded PostgreSQL with data in " + runningDataDir
                    + " already runs in this JVM; cannot start a second one for " + dataDir);
        }
        leases++;
        return new Lease(running, dataDir);
    }

    private static synchronized void release() {
        leases--;
        if (leases == 0 && running != null) {
            try {
                running.close();
                log.info("Stopped embedded PostgreSQL (data in {})", runningDataDir);
            } catch (IOException e) {
                log.warn("Embedded PostgreSQL did not stop cleanly", e);
            } finally {
                running = null;
                runningDataDir = null;
                ownership.close();
                ownership = null;
            }
        }
    }

    static EmbeddedPostgres start(Path dataDir, int port, boolean clean) {
        return start(dataDir, port, clean, true);
    }

    static EmbeddedPostgres start(Path dataDir, int port, boolean clean, boolean durable) {
        try {
            if (clean) {
                FileSystemUtils.deleteRecursively(dataDir);
            }
            Files.createDirectories(dataDir.getParent());
            // Zonky's own "clean" flag would delete the data on close; Fulcrum's data must outlive the process.
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
            if (port > 0) {
                builder.setPort(port);
            }
            if (durable) {
                // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit off, which suits its
                // throw-away test clusters; these settings come later on the command line and win
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            EmbeddedPostgres postgres = builder.start();
            log.info(
                    "Started embedded PostgreSQL on port {} with data in {}{}",
                    postgres.getPort(),
                    dataDir,
                    durable ? "" : " (not durable: commits do not wait for the disk)");
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL with data in " + dataDir, e);
        }
    }

    /** A context's claim on the shared server; closing it may stop the server. */
    public static final class Lease implements AutoCloseable {

        private final EmbeddedPostgres postgres;
        private final Path dataDir;
        private boolean released;

        private Lease(EmbeddedPostgres postgres, Path dataDir) {
            this.postgres = postgres;
            this.dataDir = dataDir;
        }

        public String jdbcUrl() {
            return postgres.getJdbcUrl("postgres", "postgres");
        }

        public int port() {
            return postgres.getPort();
        }

        public Path dataDir() {
            return dataDir;
        }

        public DataSource superuserDataSource(String database) {
            return postgres.getDatabase("postgres", database);
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                release();
            }
        }
    }
}
