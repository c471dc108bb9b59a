package io.fulcrum.rollout.internal;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.registry.ModelVersionView;
import io.fulcrum.rollout.ServingProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The model versions loaded for serving, kept warm in a cache bounded by memory ({@code
 * fulcrum.serving.model-cache-bytes}). A version is loaded once however many requests ask for it at
 * first, on a loader thread, so loading one version never blocks requests for another. Versions are
 * immutable, so an entry is never stale; it only leaves by eviction, and closes once no request holds it.
 */
@Component
public class ServingModels implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ServingModels.class);

    /** A model version by the registry's name and number. */
    public record Key(String model, int version) {
        @Override
        public String toString() {
            return "version " + version + " of model " + model;
        }
    }

    private final ModelRegistry registry;
    private final DatasetManagement datasets;
    private final ServingProperties properties;
    private final ExecutorService loaders;
    private final AsyncLoadingCache<Key, ServingModel> cache;

    public ServingModels(ModelRegistry registry, DatasetManagement datasets, ServingProperties properties) {
        this.registry = registry;
        this.datasets = datasets;
        this.properties = properties;
        AtomicInteger threads = new AtomicInteger();
        this.loaders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fulcrum-model-loader-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long budgetKiB = Math.max(1, properties.modelCacheBytes().toBytes() >> 10);
        this.cache = Caffeine.newBuilder()
                .executor(loaders)
                .maximumWeight(budgetKiB)
                .<Key, ServingModel>weigher(
                        (key, model) -> (int) Math.min(Integer.MAX_VALUE, model.weightBytes() >> 10))
                // synchronous, in the eviction itself: the version is marked before any request can release it
                .<Key, ServingModel>evictionListener((key, model, cause) -> {
                    if (model != null) {
                        log.info("Serving: {} leaves the model cache ({})", key, cause);
                        model.evict();
                    }
                })
                .buildAsync(this::load);
    }

    /**
     * The version, loaded if needed and counted as in use until {@link Lease#close}: it stays open
     * while a request holds it even if the cache evicts it meanwhile.
     */
    public Lease acquire(String model, int version) {
        Key key = new Key(model, version);
        while (true) {
            ServingModel loaded;
            try {
                loaded = cache.get(key).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
            if (loaded.tryAcquire()) {
                return new Lease(loaded);
            }
        }
    }

    /** A version in use by one request. */
    public static final class Lease implements AutoCloseable {

        private final ServingModel model;
        private boolean released;

        Lease(ServingModel model) {
            this.model = model;
        }

        public ServingModel model() {
            return model;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                model.release();
            }
        }
    }

    /** The versions in the cache now (for tests). */
    public Map<Key, ServingModel> loaded() {
        return cache.synchronous().asMap();
    }

    /** Runs pending evictions now. */
    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    private ServingModel load(Key key) {
        long t0 = System.nanoTime();
        ModelVersionView version = registry.resolve(key.model(), Integer.toString(key.version()));
        Path dir;
        try {
            dir = Files.createTempDirectory("fulcrum-serving-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MtlModel first = null;
        try {
            Path modelDir = dir.resolve("model");
            registry.extractArtifact(key.model(), key.version(), modelDir);
            first = ServingModel.loadReplica(modelDir);
            ModelSpec spec = first.spec();
            List<String> categorical = spec.inputs().categorical().stream()
                    .map(ModelSpec.CategoricalFeature::name)
                    .toList();
            Map<String, List<String>> values = categorical.isEmpty()
                    ? Map.of()
                    : Checkpoint.vocabularies(modelDir).orElseGet(() -> {
                        // a version trained before vocabularies were saved with the model (2026-12-06)
                        log.info(
                                "Serving: {} has no saved vocabularies; reading dataset {}'s",
                                key,
                                version.datasetId());
                        return datasets.categoricalValues(version.datasetId(), categorical);
                    });
            CandidateEncoder encoder = new CandidateEncoder(spec, first.preprocessing(), values);
            ServingModel model = new ServingModel(key, dir, first, encoder, properties.replicas());
            log.info(
                    "Serving: loaded {} ({} parameters, {} epochs' checkpoint) in {} ms",
                    key,
                    first.parameterCount(),
                    Checkpoint.metadata(modelDir).epoch(),
                    (System.nanoTime() - t0) / 1_000_000);
            return model;
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            FileSystemUtils.deleteRecursively(dir.toFile());
            throw e;
        }
    }

    @Override
    public void destroy() {
        cache.synchronous().asMap().values().forEach(ServingModel::evict);
        cache.synchronous().invalidateAll();
        loaders.shutdownNow();
    }
}
