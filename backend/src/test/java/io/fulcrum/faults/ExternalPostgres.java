package io.fulcrum.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * A PostgreSQL cluster that the test owns and the Fulcrum processes under test reach as an external
 * database ({@code FULCRUM_DB_URL}): on a fixed port and data directory, so that it can be crashed and
 * started again under the processes' feet and come back where they expect it.
 */
final class ExternalPostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    private ExternalPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A fresh cluster in {@code dataDir} (wiped first) on a free port. */
    static ExternalPostgres start(Path dataDir) {
        FileSystemUtils.deleteRecursively(dataDir.toFile());
        ExternalPostgres postgres = new ExternalPostgres(dataDir.toAbsolutePath(), freePort());
        postgres.startAgain();
        return postgres;
    }

    /** Starts the cluster on its port and data directory; after a crash PostgreSQL recovers from its WAL. */
    void startAgain() {
        if (running != null) {
            throw new IllegalStateException("PostgreSQL already runs on port " + port);
        }
        try {
            Files.createDirectories(dataDir.getParent());
            running = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // zonky's default is off; a production server commits durably, and with "off" a crash may
                    // lose commits that were already acknowledged, which is exactly what these tests look for
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDir, e);
        }
    }

    /**
     * Stops PostgreSQL the hard way: SIGQUIT to the postmaster is its immediate shutdown, every backend
     * quits at once without a checkpoint, like a crash, and every client's connection breaks
     * mid-statement. The next start recovers from the WAL.
     */
    void crash() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        long pid = Long.parseLong(
                Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid));
        Process signal = new ProcessBuilder("kill", "-QUIT", Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        if (signal.waitFor() != 0) {
            throw new IllegalStateException("kill -QUIT " + pid + " failed: "
                    + new String(signal.getInputStream().readAllBytes()));
        }
        postmaster.onExit().get(30, TimeUnit.SECONDS);
        // zonky's own stop now finds no server and would log that as an error; it still releases the
        // data directory's lock, which the next start needs
        Logger zonky = (Logger) LoggerFactory.getLogger(EmbeddedPostgres.class);
        Level level = zonky.getLevel();
        zonky.setLevel(Level.OFF);
        try {
            running.close();
        } finally {
            zonky.setLevel(level);
            running = null;
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** A client of the test's own: a new connection per statement, so it needs no care across restarts. */
    JdbcTemplate jdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(jdbcUrl(), "postgres", "postgres"));
    }

    /** Fulcrum's schema, applied with the jar's own migrations, as the first process would apply it. */
    void migrate() {
        Flyway.configure()
                .dataSource(jdbcUrl(), "postgres", "postgres")
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** Stops the cluster and deletes its data (LoadIT's is half a gigabyte); the processes' logs stay. */
    @Override
    public void close() throws IOException {
        if (running != null) {
            running.close();
            running = null;
        }
        FileSystemUtils.deleteRecursively(dataDir);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
