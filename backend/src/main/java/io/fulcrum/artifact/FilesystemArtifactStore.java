package io.fulcrum.artifact;

import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Artifacts as files under a root directory, one file per key at the key's path. Each file starts
 * with a fixed-size text header (digest, size, creation time) so that one rename publishes content
 * and metadata together: a put writes a temporary file beside the target and moves it into place
 * atomically, and a reader that opened the old file keeps reading it whole. Keys cannot leave the
 * root: they are checked ({@link ArtifactKeys}), and no symbolic link below the root is followed.
 * A key cannot be both an artifact and the folder of other artifacts ({@code a} and {@code a/b}).
 */
class FilesystemArtifactStore implements ArtifactStore {

    static final String MAGIC = "fulcrum-artifact 1\n";
    static final int HEADER_LENGTH = MAGIC.length() + 65 + 21 + 21;
    /** Marks temporary files; it cannot occur in a key. */
    static final char TEMPORARY = '~';

    private static final int BUFFER = 1 << 16;

    private final Path root;

    FilesystemArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the artifact directory " + this.root, e);
        }
    }

    Path root() {
        return root;
    }

    @Override
    public ArtifactRef put(String key, InputStream content) {
        Path target = resolve(key);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw folderConflict(key);
        }
        Path temporary = null;
        try {
            createParents(key, target);
            temporary = target.resolveSibling("." + target.getFileName() + TEMPORARY + UUID.randomUUID() + ".partial");
            ArtifactRef ref = write(key, content, temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return ref;
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("Storing artifact " + key + " failed", e);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    private static ArtifactRef write(String key, InputStream content, Path temporary) throws IOException {
        MessageDigest sha256 = Digests.sha256();
        long size = 0;
        try (FileChannel channel =
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.position(HEADER_LENGTH);
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[BUFFER];
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            ArtifactRef ref = new ArtifactRef(
                    key,
                    size,
                    HexFormat.of().formatHex(sha256.digest()),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            ByteBuffer header = ByteBuffer.wrap(header(ref));
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
            return ref;
        }
    }

    @Override
    public InputStream open(String key) {
        Path file = existing(key).orElseThrow(() -> new NotFoundException("Artifact", key));
        try {
            InputStream in = Files.newInputStream(file);
            try {
                readHeader(key, in, file);
                return new BufferedInputStream(in, BUFFER);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Artifact", key);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading artifact " + key + " failed", e);
        }
    }

    @Override
    public Optional<ArtifactRef> find(String key) {
        Optional<Path> file = existing(key);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            return Optional.of(readHeader(key, in, file.get()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading artifact " + key + " failed", e);
        }
    }

    @Override
    public void delete(String key) {
        Optional<Path> file = existing(key);
        if (file.isPresent()) {
            deleteQuietly(file.get());
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        ArtifactKeys.checkPrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        Path base = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        checkNoLinks(prefix, base);
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(base, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String key = keyOf(file);
                    if (key.startsWith(prefix) && key.indexOf(TEMPORARY) < 0) {
                        Files.deleteIfExists(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (!dir.equals(root) && (keyOf(dir) + "/").startsWith(prefix)) {
                        try {
                            Files.deleteIfExists(dir);
                        } catch (DirectoryNotEmptyException stillUsed) {
                            // a write in progress, or a temporary file: the folder stays
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting artifacts under " + prefix + " failed", e);
        }
    }

    /** The file of a key, when a regular file is there. */
    private Optional<Path> existing(String key) {
        Path file = resolve(key);
        checkNoLinks(key, file);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }

    private Path resolve(String key) {
        ArtifactKeys.check(key);
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw outsideRoot("key");
        }
        return path;
    }

    /** Creates the folders of a key one by one, refusing links and files in the way. */
    private void createParents(String key, Path target) throws IOException {
        Path dir = root;
        for (Path segment : root.relativize(target.getParent() == null ? root : target.getParent())) {
            if (segment.toString().isEmpty()) {
                continue;
            }
            dir = dir.resolve(segment);
            if (Files.isSymbolicLink(dir)) {
                throw outsideRoot("key");
            }
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ConflictException(
                            "Artifact key " + key + " runs through " + keyOf(dir) + ", which is an artifact",
                            java.util.List.of(new FieldViolation("key", "free-path", "runs through an artifact")));
                }
            }
        }
    }

    private void checkNoLinks(String key, Path path) {
        for (Path p = path; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw outsideRoot(key.endsWith("/") ? "prefix" : "key");
            }
        }
    }

    private String keyOf(Path path) {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    static byte[] header(ArtifactRef ref) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, ref.createdAt());
        String header = MAGIC + ref.sha256() + "\n" + String.format("%020d\n%020d\n", ref.size(), micros);
        return header.getBytes(StandardCharsets.US_ASCII);
    }

    private static ArtifactRef readHeader(String key, InputStream in, Path file) throws IOException {
        String header = new String(in.readNBytes(HEADER_LENGTH), StandardCharsets.US_ASCII);
        String[] lines = header.split("\n", -1);
        if (!header.startsWith(MAGIC) || lines.length != 5) {
            throw new IOException(file + " is not an artifact file");
        }
        long size = Long.parseLong(lines[2]);
        if (Files.size(file) != HEADER_LENGTH + size) {
            throw new IOException(file + " is damaged: its header says " + size + " bytes");
        }
        Instant createdAt = Instant.EPOCH.plus(Long.parseLong(lines[3]), ChronoUnit.MICROS);
        return new ArtifactRef(key, size, lines[1], createdAt);
    }

    private static InvalidInputException outsideRoot(String field) {
        return new InvalidInputException(new FieldViolation(
                field, "inside-root", "leads through a symbolic link or outside the artifact directory"));
    }

    private static ConflictException folderConflict(String key) {
        return new ConflictException(
                "Artifact key " + key + " is the folder of other artifacts",
                java.util.List.of(new FieldViolation("key", "free-path", "is the folder of other artifacts")));
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless: its name is no key
            }
        }
    }
}
