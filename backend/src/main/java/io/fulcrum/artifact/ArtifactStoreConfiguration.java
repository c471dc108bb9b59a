package io.fulcrum.artifact;

import java.nio.file.Path;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Chooses the artifact store: {@code fulcrum.artifacts.store=postgres} (the default: every node
 * that reaches the database reads the artifacts) or {@code filesystem} (under {@code
 * fulcrum.artifacts.dir}, for a single machine or a shared disk).
 */
@Configuration(proxyBeanMethods = false)
class ArtifactStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ArtifactStoreConfiguration.class);

    @Bean
    ArtifactStore artifactStore(
            @Value("${fulcrum.artifacts.store:postgres}") String store,
            @Value("${fulcrum.artifacts.dir:${fulcrum.data-dir:./fulcrum-data}/artifacts}") Path dir,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<PlatformTransactionManager> transactions) {
        switch (store.strip().toLowerCase(Locale.ROOT)) {
            case "postgres" -> {
                log.info("Artifacts: in PostgreSQL");
                return new PostgresArtifactStore(dataSource.getObject(), transactions.getObject());
            }
            case "filesystem" -> {
                FilesystemArtifactStore files = new FilesystemArtifactStore(dir);
                log.info("Artifacts: files under {}", files.root());
                return files;
            }
            default ->
                throw new IllegalStateException("fulcrum.artifacts.store (FULCRUM_ARTIFACTS_STORE) is '" + store
                        + "'; it must be postgres or filesystem");
        }
    }
}
