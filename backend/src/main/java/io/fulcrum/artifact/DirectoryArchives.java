package io.fulcrum.artifact;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A directory as one zip artifact, streamed both ways: {@link #put} zips on a second thread into a
 * pipe that the store reads, {@link #extract} unzips straight from the store's stream.
 */
final class DirectoryArchives {

    private static final int PIPE_SIZE = 1 << 20;
    private static final int BUFFER = 1 << 16;

    private DirectoryArchives() {}

    /** Writes content to a stream; may throw to abandon it. */
    @FunctionalInterface
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    static ArtifactRef put(ArtifactStore store, String key, Path dir) {
        ArtifactKeys.check(key);
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new NotDirectoryException(dir.toString()));
        }
        return putStreamed(store, key, out -> zip(dir, out));
    }

    /**
     * Stores what {@code writer} writes, written on its own thread while the store reads it. A writer
     * that fails fails the put (at the latest when the store reaches the end of the stream), so a
     * half-written archive is never stored.
     */
    static ArtifactRef putStreamed(ArtifactStore store, String key, ContentWriter writer) {
        PipedInputStream pipe = new PipedInputStream(PIPE_SIZE);
        CompletableFuture<Void> written = new CompletableFuture<>();
        Thread thread;
        try {
            PipedOutputStream sink = new PipedOutputStream(pipe);
            thread = new Thread(
                    () -> {
                        try (OutputStream out = sink) {
                            writer.writeTo(out);
                        } catch (Throwable e) {
                            written.completeExceptionally(e);
                            return;
                        }
                        written.complete(null);
                    },
                    "artifact-writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread.setDaemon(true);
        thread.start();
        try (InputStream content = new WriterCheckedStream(pipe, written)) {
            return store.put(key, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            // closing the pipe ends a writer still blocked on it
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void zip(Path dir, OutputStream out) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !p.equals(dir))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, BUFFER));
        zip.setLevel(Deflater.BEST_SPEED);
        for (Path path : paths) {
            String name =
                    dir.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
            if (Files.isSymbolicLink(path)) {
                throw new IOException("Refusing to archive the symbolic link " + path);
            } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                zip.putNextEntry(new ZipEntry(name + "/"));
            } else {
                zip.putNextEntry(new ZipEntry(name));
                Files.copy(path, zip);
            }
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    static void extract(ArtifactStore store, String key, Path dir) {
        ArtifactKeys.check(key);
        Path target = dir.toAbsolutePath().normalize();
        Path staging = null;
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "must not exist or be empty");
            }
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "~extracting-");
            try (InputStream in = store.open(key);
                    ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in, BUFFER))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    Path path = inside(staging, entry.getName());
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.copy(zip, path);
                    }
                }
            }
            Files.deleteIfExists(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(staging);
            throw new UncheckedIOException("Extracting artifact " + key + " to " + target + " failed", e);
        } catch (RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /** Where an entry goes; refuses any name that could land outside the directory (zip slip). */
    static Path inside(Path dir, String name) throws ZipException {
        boolean suspicious = name.isEmpty()
                || name.startsWith("/")
                || name.contains("\\")
                || Stream.of(name.split("/")).anyMatch(".."::equals);
        Path path = dir.resolve(name).normalize();
        if (suspicious || !path.startsWith(dir) || path.equals(dir)) {
            throw new ZipException("Refusing archive entry '" + name + "': it would be written outside " + dir);
        }
        return path;
    }

    private static boolean isEmptyDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> children = Files.list(path)) {
            return children.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // a leftover staging folder is hidden and named as one
        }
    }

    /** The reading end of the pipe: at its end, it fails when the writer failed. */
    private static final class WriterCheckedStream extends FilterInputStream {

        private final CompletableFuture<Void> written;

        WriterCheckedStream(InputStream in, CompletableFuture<Void> written) {
            super(in);
            this.written = written;
        }

        @Override
        public int read() throws IOException {
            return checked(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return checked(super.read(b, off, len));
        }

        private int checked(int result) throws IOException {
            if (result < 0) {
                try {
                    written.get();
                } catch (ExecutionException e) {
                    throw new IOException(
                            "Writing the content failed: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the content's writer");
                }
            }
            return result;
        }
    }
}
