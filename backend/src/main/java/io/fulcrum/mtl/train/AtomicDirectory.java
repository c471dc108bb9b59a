package io.fulcrum.mtl.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a directory so that a reader finds the old complete one or the new complete one, never a mix,
 * even when the writer is killed: the files go into a hidden sibling, are synced, and the sibling is
 * renamed into place. Replacing an existing directory takes two renames (old aside, new in); a kill
 * between them leaves only the old one, set aside, which {@link #current} then names. One writer per
 * directory at a time.
 */
final class AtomicDirectory {

    private static final String TEMP = ".tmp-";
    private static final String ASIDE = ".replaced-";

    interface Contents {
        void writeInto(Path dir) throws IOException;
    }

    private AtomicDirectory() {}

    static void write(Path dir, Contents contents) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + name + TEMP);
        try {
            contents.writeInto(temp);
            syncFiles(temp);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        for (Path stale : siblings(parent, name, TEMP)) {
            if (!stale.equals(temp)) {
                deleteTree(stale); // left by a writer that was killed
            }
        }
        if (Files.exists(target)) {
            Path aside = parent.resolve(String.format("." + name + ASIDE + "%015d", System.currentTimeMillis()));
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(parent);
        for (Path old : siblings(parent, name, ASIDE)) {
            deleteTree(old);
        }
    }

    /** {@code dir}, or if a replacement was killed between its two renames, the old copy it set aside. */
    static Path current(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) || !Files.isDirectory(target.getParent())) {
            return target;
        }
        return siblings(target.getParent(), target.getFileName().toString(), ASIDE).stream()
                .max(Comparator.comparing(Path::toString))
                .orElse(target);
    }

    private static List<Path> siblings(Path parent, String name, String kind) throws IOException {
        String prefix = "." + name + kind;
        try (Stream<Path> list = Files.list(parent)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }

    private static void syncFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (FileChannel channel = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
        syncDirectory(dir);
    }

    /** Makes the directory's entries (a rename) durable; not every platform can open a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort: the rename itself is still atomic
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
