package io.fulcrum.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts PostgreSQL in-process when no {@code spring.datasource.url} (or {@code FULCRUM_DB_URL}) is
 * set, so a fresh machine needs nothing but Java. Boot's own datasource backs off because this
 * configuration defines the {@code DataSource}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDataSourceUrlCondition.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
class EmbeddedDatabaseConfiguration {

    @Bean
    EmbeddedPostgresServer.Lease embeddedPostgres(EmbeddedDatabaseProperties properties) {
        return EmbeddedPostgresServer.acquire(properties);
    }

    @Bean
    HikariDataSource dataSource(EmbeddedPostgresServer.Lease embeddedPostgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(embeddedPostgres.jdbcUrl());
        dataSource.setUsername("postgres");
        dataSource.setPoolName("fulcrum-embedded");
        dataSource.setMaximumPoolSize(10);
        dataSource.setConnectionTimeout(5000);
        dataSource.addDataSourceProperty("reWriteBatchedInserts", "true");
        return dataSource;
    }
}
