package io.fulcrum.dataset;

import io.fulcrum.system.FieldViolation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The files a dataset import may read: uploads, streamed to {@code <data dir>/uploads/<id>/content} so
 * that a large file is never held in memory, and files under the {@link ImportRoots}. An upload is
 * stored under its generated id only: the client's file name is kept for display and never becomes
 * part of a path.
 */
@Component
class UploadStore {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    static final String CONTENT = "content";

    private final Path root;
    private final ImportRoots roots;

    UploadStore(@Value("${fulcrum.data-dir}") Path dataDir, ImportRoots roots) {
        this.root = dataDir.resolve("uploads").toAbsolutePath().normalize();
        this.roots = roots;
    }

    DatasetUpload store(InputStream content, String originalName) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        long bytes = Files.copy(content, dir.resolve(CONTENT));
        return new DatasetUpload(id, displayName(originalName), bytes);
    }

    /** The uploaded file with this id, or null. */
    Path find(String id) {
        if (!ID.matcher(id).matches()) {
            return null;
        }
        Path file = root.resolve(id).resolve(CONTENT);
        return Files.isRegularFile(file) ? file : null;
    }

    /** A file a user names for import, resolved inside an allowed root; null with a violation otherwise. */
    Path importable(String path, String field, List<FieldViolation> violations) {
        return roots.resolve(path, field, violations);
    }

    /** The client's name without directories or odd characters, to show what was uploaded. */
    private static String displayName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() || base.startsWith(".") ? "upload" + base : base;
    }
}
