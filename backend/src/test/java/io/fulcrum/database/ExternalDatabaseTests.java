package io.fulcrum.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Given a datasource URL, Fulcrum uses that server and starts no PostgreSQL of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class ExternalDatabaseTests {

    // The test JVM's server plays the part of an external one. The lease is held until the JVM ends,
    // because the cached context keeps its pool to this server.
    private static final EmbeddedPostgresServer.Lease external = EmbeddedPostgresServer.acquire(
            new EmbeddedDatabaseProperties(Path.of("target", "test-pg"), 0, true, false));

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void externalDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", external::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @Test
    void usesTheConfiguredServerAndStartsNone() {
        assertThat(context.getBeansOfType(EmbeddedPostgresServer.Lease.class)).isEmpty();
        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).isEqualTo(external.jdbcUrl());
    }
}
