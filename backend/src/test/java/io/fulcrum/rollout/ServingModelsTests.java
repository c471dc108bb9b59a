package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.rollout.internal.ServingModel;
import io.fulcrum.rollout.internal.ServingModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

/** The warm model cache on its own, with budgets that fit one version or many. */
@FulcrumSpringTest
class ServingModelsTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    ModelRegistry registry;

    @Autowired
    DatasetManagement datasets;

    @Autowired
    JdbcTemplate jdbc;

    ServingFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ServingFixtures(mvc);
    }

    ServingModels cache(long bytes, int replicas) {
        return new ServingModels(
                registry,
                datasets,
                new ServingProperties(DataSize.ofBytes(bytes), replicas, null, null, null, null, null, null, null));
    }

    static boolean allClosed(ServingModel model) {
        return model.isClosed()
                && model.replicas().stream().noneMatch(m -> m.manager().isOpen());
    }

    @Test
    void aVersionCarriesItsVocabulariesAndServesWithoutItsDataset() throws Exception {
        String model = fx.model();
        Path extracted = Files.createTempDirectory("fulcrum-version-");
        Path cache =
                Path.of(jdbc.queryForObject("SELECT cache_dir FROM dataset WHERE id = ?", String.class, fx.dataset()));
        Path aside = cache.resolveSibling(cache.getFileName() + "-aside");
        ServingModels models = cache(DataSize.ofMegabytes(64).toBytes(), 1);
        try {
            registry.extractArtifact(model, 2, extracted);
            Map<String, List<String>> saved = Checkpoint.vocabularies(extracted).orElseThrow();
            assertThat(saved)
                    .isNotEmpty()
                    .allSatisfy((column, values) -> assertThat(values).isNotEmpty());
            assertThat(saved).isEqualTo(datasets.categoricalValues(fx.dataset(), List.copyOf(saved.keySet())));

            // without the dataset's cache the version still loads and encodes from its own files
            Files.move(cache, aside);
            try (ServingModels.Lease lease = models.acquire(model, 2)) {
                assertThat(lease.model().encoder()).isNotNull();
            }
        } finally {
            if (Files.exists(aside)) {
                Files.move(aside, cache);
            }
            models.destroy();
            FileSystemUtils.deleteRecursively(extracted.toFile());
        }
    }

    @Test
    void concurrentFirstRequestsLoadAVersionOnce() throws Exception {
        String model = fx.model();
        ServingModels models = cache(DataSize.ofMegabytes(64).toBytes(), 2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ServingModel>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try (ServingModels.Lease lease = models.acquire(model, 1)) {
                        return lease.model();
                    }
                }));
            }
            start.countDown();
            ServingModel first = futures.get(0).get();
            for (Future<ServingModel> f : futures) {
                assertThat(f.get()).isSameAs(first);
            }
            assertThat(models.loaded()).hasSize(1);
        } finally {
            pool.shutdown();
            models.destroy();
        }
    }

    @Test
    void evictionBeyondTheBudgetClosesAVersionOnceNoRequestHoldsIt() {
        String model = fx.model();
        ServingModels probe = cache(DataSize.ofMegabytes(64).toBytes(), 1);
        long weight;
        try (ServingModels.Lease lease = probe.acquire(model, 1)) {
            weight = lease.model().weightBytes();
        } finally {
            probe.destroy();
        }
        // room for one version, not two
        ServingModels models = cache(weight * 3 / 2, 1);
        try {
            ServingModels.Lease one = models.acquire(model, 1);
            ServingModels.Lease two = models.acquire(model, 2);
            // the cache weighs a version when its load completes, in a callback that may run after
            // acquire returns: maintenance may need another pass before the second weight counts
            long deadline = System.nanoTime() + 5_000_000_000L;
            do {
                models.cleanUp();
            } while (models.loaded().size() > 1 && System.nanoTime() < deadline);
            assertThat(models.loaded()).hasSize(1);
            ServingModel evicted =
                    models.loaded().containsKey(new ServingModels.Key(model, 1)) ? two.model() : one.model();
            ServingModel kept = evicted == one.model() ? two.model() : one.model();
            assertThat(evicted.isClosed()).as("still held by a request").isFalse();
            assertThat(evicted.replicas()).allMatch(m -> m.manager().isOpen());

            one.close();
            two.close();

            assertThat(allClosed(evicted)).isTrue();
            assertThat(kept.isClosed()).isFalse();
            assertThat(kept.replicas()).allMatch(m -> m.manager().isOpen());

            // an evicted version is loaded afresh when asked for again
            ServingModels.Key key = evicted.key();
            try (ServingModels.Lease again = models.acquire(key.model(), key.version())) {
                assertThat(again.model()).isNotSameAs(evicted);
                assertThat(again.model().isClosed()).isFalse();
            }
        } finally {
            models.destroy();
        }
        assertThat(models.loaded()).isEmpty();
    }

    @Test
    void replicasAreMadeAsConcurrentRequestsNeedThemUpToTheLimit() throws Exception {
        String model = fx.model();
        ServingModels models = cache(DataSize.ofMegabytes(64).toBytes(), 3);
        try (ServingModels.Lease lease = models.acquire(model, 1)) {
            ServingModel serving = lease.model();
            assertThat(serving.replicaCount()).isEqualTo(1);
            List<MtlModel> replicas = serving.replicas();
            assertThat(replicas).hasSize(1);
            assertThat(serving.weightBytes()).isGreaterThan(replicas.get(0).parameterCount() * 4L * 3);
        } finally {
            models.destroy();
        }
    }
}
