package io.fulcrum.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * A server on its embedded PostgreSQL killed as the kernel's out-of-memory killer would (SIGKILL: no
 * shutdown hook), then started again at once on the same data directory, as systemd or a container
 * runtime would: it must come up on the first try. The embedded PostgreSQL outlives the killed JVM
 * (pg_ctl starts it outside the JVM's process tree); the first restart used to fail on its
 * postmaster.pid.
 */
class EmbeddedDatabaseRestartIT {

    static final Path DIR = Path.of("target", "it-faults", "embedded-restart");

    @Test
    void aServerKilledWithItsDatabaseRunningStartsAgainOnTheFirstTry() throws Exception {
        FileSystemUtils.deleteRecursively(DIR);
        Path data = DIR.resolve("data").toAbsolutePath();
        long leftover;
        try (FulcrumJar first = FulcrumJar.embedded("first", DIR, data, Faults.QUICK_START_JVM)) {
            first.awaitHealthy(Duration.ofMinutes(3));
            first.kill();
        }
        leftover = postmaster(data).orElseThrow(() -> new AssertionError("no postmaster.pid after the kill"));
        assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive))
                .as("the killed server's PostgreSQL still runs: the situation under test")
                .isPresent();

        try (FulcrumJar second = FulcrumJar.embedded("second", DIR, data, Faults.QUICK_START_JVM)) {
            second.awaitHealthy(Duration.ofMinutes(3));
            assertThat(second.log()).contains("left running by a Fulcrum that ended without stopping it");
            assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive))
                    .as("the leftover PostgreSQL was stopped")
                    .isEmpty();
            assertThat(postmaster(data)).isPresent().get().isNotEqualTo(leftover);
            second.terminate(Duration.ofSeconds(60));
        }
        assertThat(postmaster(data))
                .as("a clean stop stops the embedded PostgreSQL")
                .isEmpty();
    }

    private static Optional<Long> postmaster(Path data) throws Exception {
        Path pid = data.resolve("pg").resolve("postmaster.pid");
        return Files.isRegularFile(pid)
                ? Optional.of(Long.parseLong(Files.readAllLines(pid).get(0).strip()))
                : Optional.empty();
    }
}
