package io.fulcrum.dataset;

import io.fulcrum.artifact.ArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Dataset caches through the artifact store, for nodes that do not share the server's data directory:
 * the server publishes each cache under its content hash; a node that cannot read the recorded
 * directory fetches the artifact once into its local cache ({@code <data dir>/dataset-cache/<sha256>}),
 * checks the hash before using it, and evicts the least recently used caches beyond a size.
 */
final class DatasetCaches {

    private static final Logger log = LoggerFactory.getLogger(DatasetCaches.class);

    private final ArtifactStore artifacts;
    private final Path root;
    private final long maxBytes;
    private final ConcurrentHashMap<String, Object> fetching = new ConcurrentHashMap<>();

    DatasetCaches(ArtifactStore artifacts, Path root, long maxBytes) {
        this.artifacts = artifacts;
        this.root = root;
        this.maxBytes = maxBytes;
    }

    static String key(String sha256) {
        return "datasets/" + sha256 + "/cache.zip";
    }

    /** Stores the cache under its content hash (once: the same content has the same key) and returns the hash. */
    String publish(Path cacheDir) {
        String sha = CacheDigest.of(cacheDir);
        if (artifacts.find(key(sha)).isEmpty()) {
            artifacts.putDirectory(key(sha), cacheDir);
        }
        return sha;
    }

    void unpublish(String sha256) {
        artifacts.delete(key(sha256));
    }

    /** The local copy of the cache with this hash, fetched and checked first if this node has none. */
    Path local(String sha256) {
        Path dir = root.resolve(sha256);
        synchronized (fetching.computeIfAbsent(sha256, k -> new Object())) {
            if (!Files.isDirectory(dir)) {
                fetch(sha256, dir);
                evictBeyondLimit(sha256);
            }
        }
        touch(dir);
        return dir;
    }

    private void fetch(String sha256, Path dir) {
        Path incoming = root.resolve(".incoming-" + UUID.randomUUID());
        try {
            Files.createDirectories(root);
            artifacts.extractTo(key(sha256), incoming);
            String actual = CacheDigest.of(incoming);
            if (!actual.equals(sha256)) {
                throw new IllegalStateException("dataset cache " + key(sha256) + " does not match its hash (got "
                        + actual + "): the artifact is damaged; register the dataset again");
            }
            try {
                Files.move(incoming, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(incoming, dir);
            } catch (FileAlreadyExistsException e) {
                // another process sharing this data directory fetched it first: the same content
            }
            log.info("Fetched dataset cache {} into {}", sha256, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            FileSystemUtils.deleteRecursively(incoming.toFile());
        }
    }

    private static void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // only the eviction order suffers
        }
    }

    /** Deletes the least recently used local caches, never {@code keep}, until the rest fit in the limit. */
    private void evictBeyondLimit(String keep) {
        try {
            List<Path> caches = new ArrayList<>();
            try (Stream<Path> list = Files.list(root)) {
                list.filter(p -> Files.isDirectory(p)
                                && !p.getFileName().toString().startsWith("."))
                        .forEach(caches::add);
            }
            long total = 0;
            for (Path c : caches) {
                total += size(c);
            }
            caches.sort(Comparator.comparing(DatasetCaches::lastUsed));
            for (Path c : caches) {
                if (total <= maxBytes) {
                    break;
                }
                if (c.getFileName().toString().equals(keep)) {
                    continue;
                }
                long bytes = size(c);
                FileSystemUtils.deleteRecursively(c.toFile());
                total -= bytes;
                log.info(
                        "Evicted dataset cache {} ({} bytes) to stay within {} bytes",
                        c.getFileName(),
                        bytes,
                        maxBytes);
            }
        } catch (IOException e) {
            log.warn("Could not evict local dataset caches under {}: {}", root, e.getMessage());
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
