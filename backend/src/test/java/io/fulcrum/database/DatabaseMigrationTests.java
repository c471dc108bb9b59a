package io.fulcrum.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;

@FulcrumSpringTest
class DatabaseMigrationTests {

    private static final String EMPTY_DATABASE = "migration_check";
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__([a-z]+)_\\w+\\.sql");

    @Autowired
    EmbeddedPostgresServer.Lease postgres;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void createEmptyDatabase() {
        jdbc.execute("DROP DATABASE IF EXISTS " + EMPTY_DATABASE);
        jdbc.execute("CREATE DATABASE " + EMPTY_DATABASE);
    }

    @AfterEach
    void dropEmptyDatabase() {
        jdbc.execute("DROP DATABASE IF EXISTS " + EMPTY_DATABASE + " WITH (FORCE)");
    }

    @Test
    void migratesAnEmptyDatabaseToTheLatestVersion() throws IOException {
        DataSource empty = postgres.superuserDataSource(EMPTY_DATABASE);

        MigrateResult result = Flyway.configure()
                .dataSource(empty)
                .locations("classpath:db/migration")
                .load()
                .migrate();

        assertThat(result.success).isTrue();
        assertThat(result.targetSchemaVersion).isEqualTo(String.valueOf(latestMigrationVersion()));
        assertThat(new JdbcTemplate(empty)
                        .queryForList(
                                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
                                String.class))
                .contains("task_group", "task", "applied_seed", "flyway_schema_history");
    }

    @Test
    void migrationFilesAreNamedByVersionModuleAndPurpose() throws IOException {
        for (Resource migration : migrations()) {
            assertThat(migration.getFilename()).matches(VERSION);
        }
    }

    @Test
    void theApplicationDatabaseIsAtTheLatestVersion() throws IOException {
        String applied =
                jdbc.queryForObject("SELECT max(version::int) FROM flyway_schema_history WHERE success", String.class);

        assertThat(applied).isEqualTo(String.valueOf(latestMigrationVersion()));
    }

    private static int latestMigrationVersion() throws IOException {
        return migrations().stream()
                .map(Resource::getFilename)
                .map(VERSION::matcher)
                .filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1)))
                .max()
                .orElseThrow();
    }

    private static List<Resource> migrations() throws IOException {
        Resource[] found = new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/*.sql");
        assertThat(found).isNotEmpty();
        return Arrays.asList(found);
    }
}
