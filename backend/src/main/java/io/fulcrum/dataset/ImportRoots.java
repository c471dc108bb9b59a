package io.fulcrum.dataset;

import io.fulcrum.system.FieldViolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The directories a user may import files from ({@code fulcrum.datasets.allowed-roots}). A path a user
 * names is accepted only if, once normalised and with every symbolic link resolved, it lies inside one
 * of them: neither {@code ../} nor a link may lead a dataset import to read the server's other files.
 * A path outside every root is refused before the file system is asked about it, so the answer does not
 * tell whether such a file exists.
 */
@Component
class ImportRoots {

    static final String PROPERTY = "fulcrum.datasets.allowed-roots";

    private final List<Path> roots;

    ImportRoots(@Value("${" + PROPERTY + ":${fulcrum.data-dir}}") List<String> roots) {
        this.roots = roots.stream()
                .map(String::strip)
                .filter(root -> !root.isEmpty())
                .map(root -> Path.of(root).toAbsolutePath().normalize())
                .toList();
    }

    /** The file's real path, or null with the violation added under {@code field}. */
    Path resolve(String given, String field, List<FieldViolation> violations) {
        Path path;
        try {
            path = Path.of(given).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            violations.add(new FieldViolation(field, "valid-path", "is not a valid path: " + e.getReason()));
            return null;
        }
        List<Path> realRoots = realRoots();
        if (!inside(path, roots) && !inside(path, realRoots)) {
            violations.add(outside(field));
            return null;
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            real = null;
        }
        if (real == null || !Files.isRegularFile(real) || !Files.isReadable(real)) {
            violations.add(new FieldViolation(field, "readable-file", "is not a file the server can read: " + path));
            return null;
        }
        if (!inside(real, realRoots)) {
            // a link inside a root that leads out of every root
            violations.add(outside(field));
            return null;
        }
        return real;
    }

    private FieldViolation outside(String field) {
        String listed = roots.stream().map(Path::toString).collect(Collectors.joining(", "));
        return new FieldViolation(
                field, "allowed-root", "must be a file under " + listed + " (" + PROPERTY + "), links resolved");
    }

    /** The roots that exist, with their own links resolved. */
    private List<Path> realRoots() {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                // a root that does not exist (yet) holds no file to import
            }
        }
        return real;
    }

    private static boolean inside(Path path, List<Path> roots) {
        return roots.stream().anyMatch(path::startsWith);
    }
}
