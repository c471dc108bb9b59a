package io.fulcrum.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Uploaded files, streamed to {@code <data dir>/uploads/<id>/} so that a large file is never held in
 * memory; a dataset import then reads it by its id.
 */
@Component
class UploadStore {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final Path root;

    UploadStore(@Value("${fulcrum.data-dir}") Path dataDir) {
        this.root = dataDir.resolve("uploads").toAbsolutePath().normalize();
    }

    DatasetUpload store(InputStream content, String originalName) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        Path file = dir.resolve(safeName(originalName));
        long bytes = Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
        return new DatasetUpload(id, file.getFileName().toString(), bytes);
    }

    /** The uploaded file with this id, or null. */
    Path find(String id) {
        if (!ID.matcher(id).matches()) {
            return null;
        }
        Path dir = root.resolve(id);
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String safeName(String name) {
        String base = name == null ? "" : Path.of(name).getFileName().toString();
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() || base.startsWith(".") ? "upload" + base : base;
    }
}
