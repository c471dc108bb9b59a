package io.fulcrum.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * A restart of the embedded server keeps what was written; a clean start does not. A durable server
 * (the default) flushes every commit to disk.
 */
class EmbeddedPostgresPersistenceTests {

    // Not a JUnit @TempDir: as root, PostgreSQL runs in a user namespace that cannot enter a 0700 directory.
    private final Path dataDir = Path.of("target", "persistence-pg-" + UUID.randomUUID());

    @AfterEach
    void removeDataDir() throws IOException {
        FileSystemUtils.deleteRecursively(dataDir);
    }

    @Test
    void restartKeepsTheData() throws IOException {
        try (EmbeddedPostgres first = EmbeddedPostgresServer.start(dataDir, 0, false)) {
            JdbcTemplate jdbc = new JdbcTemplate(first.getPostgresDatabase());
            jdbc.execute("CREATE TABLE remembered (value TEXT)");
            jdbc.update("INSERT INTO remembered VALUES ('kept')");
        }

        try (EmbeddedPostgres second = EmbeddedPostgresServer.start(dataDir, 0, false)) {
            JdbcTemplate jdbc = new JdbcTemplate(second.getPostgresDatabase());
            assertThat(jdbc.queryForObject("SELECT value FROM remembered", String.class))
                    .isEqualTo("kept");
        }

        try (EmbeddedPostgres cleaned = EmbeddedPostgresServer.start(dataDir, 0, true)) {
            JdbcTemplate jdbc = new JdbcTemplate(cleaned.getPostgresDatabase());
            assertThat(jdbc.queryForObject("SELECT to_regclass('remembered') IS NULL", Boolean.class))
                    .isTrue();
        }
    }

    @Test
    void aDurableServerWaitsForTheDiskAndATestServerDoesNot() throws IOException {
        try (EmbeddedPostgres durable = EmbeddedPostgresServer.start(dataDir, 0, true, true)) {
            assertThat(settings(durable)).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on");
        }
        try (EmbeddedPostgres fast = EmbeddedPostgresServer.start(dataDir, 0, false, false)) {
            assertThat(settings(fast)).containsEntry("fsync", "off").containsEntry("synchronous_commit", "off");
        }
    }

    private static Map<String, String> settings(EmbeddedPostgres postgres) {
        Map<String, String> settings = new HashMap<>();
        new JdbcTemplate(postgres.getPostgresDatabase())
                .query("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')", rs -> {
                    settings.put(rs.getString(1), rs.getString(2));
                });
        return settings;
    }
}
