package io.fulcrum.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which process owns an embedded PostgreSQL's data directory, and what to do with a PostgreSQL that a
 * dead owner left running.
 *
 * <p>The embedded server is started through {@code pg_ctl}, so its postmaster is never a child of
 * the JVM and survives it: after an out-of-memory kill, the next start found "lock file
 * postmaster.pid already exists" and failed. The owner therefore holds an OS file lock on {@code
 * <data dir>.lock} for as long as it runs the server; the OS drops the lock when the process dies,
 * however it dies. A start that gets the lock while a postmaster of that data directory still runs
 * knows its owner is gone, and stops it (a smart shutdown: its clients died with their JVM) before
 * starting a new one. A start that cannot get the lock says which process to stop.
 */
final class DataDirectoryLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataDirectoryLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data directory for this process, stopping a postmaster a dead owner left behind.
     *
     * @throws IllegalStateException when a live process owns the directory, or the leftover server
     *     does not stop within {@code stopTimeout}
     */
    static DataDirectoryLock acquire(Path dataDir, Duration stopTimeout) {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IllegalStateException("Another Fulcrum process uses the embedded PostgreSQL in " + dataDir
                        + " (it holds " + file + "); stop it first, or give this one another FULCRUM_DATA_DIR");
            }
            DataDirectoryLock owned = new DataDirectoryLock(channel, lock);
            channel = null;
            try {
                stopLeftover(dataDir, stopTimeout);
            } catch (RuntimeException e) {
                owned.close();
                throw e;
            }
            return owned;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lock " + file, e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.debug("closing {} failed", file, e);
                }
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM holds it already: one embedded server per JVM
        }
    }

    /** The postmaster named by {@code postmaster.pid}, when it is alive and serves this directory. */
    static Optional<ProcessHandle> leftoverPostmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // the file's second line is the data directory; a pid reused by an unrelated process, or one
        // whose command line cannot be read, is left for PostgreSQL's own check to report
        String directory = lines.get(1).strip();
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .commandLine()
                        .filter(command -> command.contains("postgres") && command.contains(directory))
                        .isPresent());
    }

    private static void stopLeftover(Path dataDir, Duration timeout) {
        Optional<ProcessHandle> leftover = leftoverPostmaster(dataDir);
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = leftover.get();
        log.warn(
                "A PostgreSQL (pid {}) left running by a Fulcrum that ended without stopping it still serves {};"
                        + " stopping it before starting a new one",
                postmaster.pid(),
                dataDir);
        postmaster.destroy();
        try {
            postmaster.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The PostgreSQL (pid " + postmaster.pid() + ") left running on " + dataDir
                    + " did not stop within " + timeout.toSeconds() + " s; stop it by hand");
        } catch (ExecutionException e) {
            throw new IllegalStateException("Waiting for PostgreSQL (pid " + postmaster.pid() + ") failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL to stop", e);
        }
        log.info("Stopped the PostgreSQL (pid {}) left running on {}", postmaster.pid(), dataDir);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            log.debug("releasing the data directory lock failed", e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the data directory lock failed", e);
        }
    }
}
