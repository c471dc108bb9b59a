package io.fulcrum.artifact;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where checkpoints and model files live, by key ({@link ArtifactKeys}), readable from every node.
 * Content streams through in both directions: no method holds a whole artifact in memory. I/O
 * failures surface as {@link java.io.UncheckedIOException}; a key that breaks the rules as {@link
 * io.fulcrum.system.InvalidInputException}.
 */
public interface ArtifactStore {

    /**
     * Stores {@code content} (read to its end, not closed) under {@code key}, replacing what was
     * there. Whole or not at all: readers see the old content or the new one, never a mix, and a
     * failure while reading {@code content} leaves the old content (or nothing) in place.
     */
    ArtifactRef put(String key, InputStream content);

    /**
     * The content under {@code key}, as it was when opened even if it is replaced meanwhile. The
     * caller must close the stream (a PostgreSQL store holds a connection until then).
     *
     * @throws io.fulcrum.system.NotFoundException when nothing is stored under the key
     */
    InputStream open(String key);

    Optional<ArtifactRef> find(String key);

    /** Deletes the artifact under {@code key}; nothing happens when there is none. */
    void delete(String key);

    /** Deletes every artifact whose key starts with {@code prefix}, e.g. {@code runs/42/}. */
    void deletePrefix(String prefix);

    /**
     * Stores the files and folders under {@code dir} as one zip artifact, streamed: the archive is
     * written on a second thread while it is stored. Symbolic links are refused.
     */
    default ArtifactRef putDirectory(String key, Path dir) {
        return DirectoryArchives.put(this, key, dir);
    }

    /**
     * Restores an artifact stored by {@link #putDirectory} into {@code dir}, which must not exist or
     * be empty. The archive is unpacked next to {@code dir} and renamed into place, so a failure
     * leaves nothing; an entry that would land outside {@code dir} (zip slip) fails it.
     */
    default void extractTo(String key, Path dir) {
        DirectoryArchives.extract(this, key, dir);
    }
}
