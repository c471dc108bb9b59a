package io.fulcrum.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.model.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * Dataset caches through the artifact store (the real PostgreSQL store): published at registration
 * under their content hash, fetched and checked by a node that cannot read the server's directory,
 * evicted by size, refused when damaged.
 */
@FulcrumSpringTest
class DatasetCacheArtifactTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ArtifactStore artifacts;

    @Autowired
    DatasetManagement datasets;

    @TempDir
    Path elsewhere;

    long synthetic(int samples, int seed) throws IOException {
        var result = mvc.post()
                .uri("/api/datasets")
                .contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"name": "cache-%s", "kind": "SYNTHETIC",
                         "spec": {"correlation": 0.5, "samples": %d, "dimension": 6, "seed": %d}}""".formatted(UUID.randomUUID().toString().substring(0, 8), samples, seed))
                .exchange();
        assertThat(result).hasStatus(201);
        return ((Number) JsonPath.read(result.getResponse().getContentAsString(StandardCharsets.UTF_8), "$.id"))
                .longValue();
    }

    String sha(long id) {
        return jdbc.queryForObject("SELECT cache_sha256 FROM dataset WHERE id = ?", String.class, id);
    }

    Path serverDir(long id) {
        return Path.of(jdbc.queryForObject("SELECT cache_dir FROM dataset WHERE id = ?", String.class, id));
    }

    @Test
    void aRegisteredCacheIsPublishedUnderItsHashAndAnotherNodeGetsTheSameFiles() throws IOException {
        long id = synthetic(300, 1);
        String sha = sha(id);
        assertThat(sha).hasSize(64).isEqualTo(CacheDigest.of(serverDir(id)));
        assertThat(artifacts.find(DatasetCaches.key(sha))).isPresent();

        DatasetCaches node = new DatasetCaches(artifacts, elsewhere.resolve("dataset-cache"), 1L << 30);
        Path local = node.local(sha);

        assertThat(local).isEqualTo(elsewhere.resolve("dataset-cache").resolve(sha));
        assertThat(CacheDigest.of(local)).isEqualTo(sha);
        try (var files = Files.list(serverDir(id))) {
            for (Path f : files.toList()) {
                assertThat(local.resolve(f.getFileName())).hasSameBinaryContentAs(f);
            }
        }
        assertThat(node.local(sha)).as("the second use reads the local copy").isEqualTo(local);
    }

    @Test
    void aNodeThatCannotReadTheServersDirectoryTrainsFromTheArtifact() throws IOException {
        long id = synthetic(300, 2);
        var tasks = List.of(
                new TrainingSplits.TaskColumns("y1", TaskType.REGRESSION, "y1", null),
                new TrainingSplits.TaskColumns("y2", TaskType.REGRESSION, "y2", null));
        TrainingSplits before = datasets.trainingSplits(id, tasks, 8, false);
        Path dir = serverDir(id);
        Path hidden = dir.resolveSibling(dir.getFileName() + "-hidden");
        Files.move(dir, hidden);
        try {
            TrainingSplits after = datasets.trainingSplits(id, tasks, 8, false);
            assertThat(after.train().size()).isEqualTo(before.train().size());
            assertThat(after.train().dense()).containsExactly(before.train().dense());
        } finally {
            Files.move(hidden, dir);
        }
    }

    @Test
    void theLeastRecentlyUsedCachesGoBeyondTheSizeLimit() throws IOException, InterruptedException {
        String first = sha(synthetic(400, 3));
        String second = sha(synthetic(400, 4));
        assertThat(first).isNotEqualTo(second);
        Path root = elsewhere.resolve("dataset-cache");
        // room for one cache only
        long one = DatasetCaches.size(serverDirOf(first));
        DatasetCaches node = new DatasetCaches(artifacts, root, one + one / 2);

        node.local(first);
        Thread.sleep(20);
        node.local(second);

        assertThat(root.resolve(second)).isDirectory();
        assertThat(root.resolve(first)).doesNotExist();
    }

    @Test
    void aDamagedArtifactIsRefusedAndLeavesNothingBehind() throws IOException {
        long id = synthetic(200, 5);
        String sha = sha(id);
        // another dataset's cache stored under this one's key
        Path other = serverDir(synthetic(200, 6));
        String fake = "0".repeat(64);
        artifacts.putDirectory(DatasetCaches.key(fake), other);
        Path root = elsewhere.resolve("dataset-cache");
        DatasetCaches node = new DatasetCaches(artifacts, root, 1L << 30);
        try {
            assertThatThrownBy(() -> node.local(fake)).hasMessageContaining("does not match its hash");
            try (var left = Files.list(root)) {
                assertThat(left).isEmpty();
            }
            assertThat(node.local(sha)).isDirectory();
        } finally {
            artifacts.delete(DatasetCaches.key(fake));
        }
    }

    @Test
    void deletingTheLastDatasetWithACacheDeletesItsArtifact() throws IOException {
        long id = synthetic(200, 7);
        String sha = sha(id);
        assertThat(mvc.delete().uri("/api/datasets/{id}", id).exchange()).hasStatus(204);
        assertThat(artifacts.find(DatasetCaches.key(sha))).isEmpty();
    }

    Path serverDirOf(String sha) {
        return Path.of(
                jdbc.queryForObject("SELECT cache_dir FROM dataset WHERE cache_sha256 = ? LIMIT 1", String.class, sha));
    }
}
