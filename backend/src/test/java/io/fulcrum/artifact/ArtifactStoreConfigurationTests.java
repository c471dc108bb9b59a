package io.fulcrum.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ArtifactStoreConfigurationTests {

    @TempDir
    Path dataDir;

    final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(ArtifactStoreConfiguration.class);

    @Test
    void storesFilesUnderTheDataDirectoryWhenAskedTo() {
        context.withPropertyValues("fulcrum.artifacts.store=filesystem", "fulcrum.data-dir=" + dataDir)
                .run(started -> {
                    assertThat(started).hasSingleBean(ArtifactStore.class);
                    assertThat(started.getBean(ArtifactStore.class))
                            .isInstanceOfSatisfying(
                                    FilesystemArtifactStore.class,
                                    files -> assertThat(files.root()).isEqualTo(dataDir.resolve("artifacts")));
                });
    }

    @Test
    void storesFilesUnderTheGivenDirectory() {
        Path dir = dataDir.resolve("elsewhere");
        context.withPropertyValues("fulcrum.artifacts.store=filesystem", "fulcrum.artifacts.dir=" + dir)
                .run(started -> assertThat(((FilesystemArtifactStore) started.getBean(ArtifactStore.class)).root())
                        .isEqualTo(dir)
                        .isDirectory());
    }

    @Test
    void refusesAnUnknownStore() {
        context.withPropertyValues("fulcrum.artifacts.store=s3")
                .run(started -> assertThat(started)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("fulcrum.artifacts.store")
                        .hasMessageContaining("postgres or filesystem"));
    }
}
