package io.fulcrum.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ArtifactStore} must do; each store's test class runs it. Error cases are plain
 * methods here (named {@code rejects…}, {@code fails…}) because nested classes do not carry over to
 * the subclasses' Spring context.
 */
abstract class ArtifactStoreContract {

    static final int MIB = 1 << 20;

    @TempDir
    Path temp;

    abstract ArtifactStore store();

    /** A key no other test (or earlier run against the same database) uses. */
    static String uniqueKey(String name) {
        return "test/" + UUID.randomUUID() + "/" + name;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    byte[] read(String key) throws IOException {
        try (InputStream in = store().open(key)) {
            return in.readAllBytes();
        }
    }

    /** Gives {@code bytes} bytes, then fails, as a dropped upload or a dead disk would. */
    static InputStream failingAfter(int bytes) {
        return new InputStream() {
            private int given;

            @Override
            public int read() throws IOException {
                if (given == bytes) {
                    throw new IOException("source failed after " + bytes + " bytes");
                }
                given++;
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given == bytes) {
                    throw new IOException("source failed after " + bytes + " bytes");
                }
                int n = Math.min(len, bytes - given);
                java.util.Arrays.fill(b, off, off + n, (byte) 7);
                given += n;
                return n;
            }
        };
    }

    @Test
    void roundTripsAMultiChunkArtifactWithItsDigest() throws Exception {
        String key = uniqueKey("model.bin");
        byte[] content = randomBytes(3 * MIB + 12345, 1);

        ArtifactRef stored = store().put(key, new ByteArrayInputStream(content));

        assertThat(stored.key()).isEqualTo(key);
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(stored.createdAt()).isNotNull();
        assertThat(read(key)).isEqualTo(content);
        assertThat(store().find(key)).contains(stored);
    }

    @Test
    void readsByteByByteAsWellAsInBlocks() throws Exception {
        String key = uniqueKey("small");
        byte[] content = randomBytes(MIB + 3, 2);
        store().put(key, new ByteArrayInputStream(content));

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream in = store().open(key)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                copy.write(b);
            }
            assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
        }

        assertThat(copy.toByteArray()).isEqualTo(content);
    }

    @Test
    void storesAnEmptyArtifact() throws Exception {
        String key = uniqueKey("empty");

        ArtifactRef stored = store().put(key, InputStream.nullInputStream());

        assertThat(stored.size()).isZero();
        assertThat(stored.sha256()).isEqualTo(sha256(new byte[0]));
        assertThat(read(key)).isEmpty();
    }

    @Test
    void replacingAKeyGivesReadersTheOldOrTheNewContentWhole() throws Exception {
        String key = uniqueKey("checkpoint");
        byte[] before = randomBytes(2 * MIB + 10, 3);
        byte[] after = randomBytes(3 * MIB + 20, 4);
        store().put(key, new ByteArrayInputStream(before));

        byte[] readAcrossTheReplace;
        try (InputStream reader = store().open(key)) {
            byte[] head = reader.readNBytes(100);
            ArtifactRef replaced = store().put(key, new ByteArrayInputStream(after));
            assertThat(replaced.sha256()).isEqualTo(sha256(after));
            byte[] tail = reader.readAllBytes();
            readAcrossTheReplace = new byte[head.length + tail.length];
            System.arraycopy(head, 0, readAcrossTheReplace, 0, head.length);
            System.arraycopy(tail, 0, readAcrossTheReplace, head.length, tail.length);
        }

        assertThat(readAcrossTheReplace).isEqualTo(before);
        assertThat(read(key)).isEqualTo(after);
        assertThat(store().find(key).orElseThrow().size()).isEqualTo(after.length);
    }

    @Test
    void deletesAnArtifact() {
        String key = uniqueKey("gone");
        store().put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}));

        store().delete(key);
        store().delete(key);

        assertThat(store().find(key)).isEmpty();
        assertThatThrownBy(() -> store().open(key)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletesEveryKeyUnderAPrefixAndNothingElse() {
        String run = "runs/" + UUID.randomUUID().toString().substring(0, 8);
        List<String> doomed = List.of(run + "/42/a", run + "/42/b/c.pt", run + "/42/b/d");
        List<String> kept = List.of(run + "/420/x", run + "/4", run + "/43/y", run + "/a_b/z");
        for (String key : Stream.concat(doomed.stream(), kept.stream()).toList()) {
            store().put(key, new ByteArrayInputStream(key.getBytes()));
        }
        store().put(run + "/acb/z", new ByteArrayInputStream(new byte[1]));

        store().deletePrefix(run + "/42/");
        store().deletePrefix(run + "/acb/");

        assertThat(doomed).allSatisfy(key -> assertThat(store().find(key)).isEmpty());
        assertThat(kept).allSatisfy(key -> assertThat(store().find(key)).isPresent());
        assertThat(store().find(run + "/acb/z")).isEmpty();
    }

    @Test
    void aPrefixNeedNotEndAtASlash() {
        String run = "runs/" + UUID.randomUUID().toString().substring(0, 8);
        for (String key : List.of(run + "/4", run + "/42/a", run + "/5")) {
            store().put(key, new ByteArrayInputStream(new byte[] {4}));
        }

        store().deletePrefix(run + "/4");

        assertThat(store().find(run + "/4")).isEmpty();
        assertThat(store().find(run + "/42/a")).isEmpty();
        assertThat(store().find(run + "/5")).isPresent();
    }

    @Test
    void roundTripsADirectory() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("checkpoint"));
        Files.writeString(dir.resolve("meta.json"), "{\"epoch\": 3}");
        Files.createDirectories(dir.resolve("params/empty"));
        Files.write(dir.resolve("params/model-0003.params"), randomBytes(2 * MIB + 5, 5));
        Files.write(dir.resolve("params/optimizer.bin"), new byte[0]);
        String key = uniqueKey("checkpoint.zip");

        ArtifactRef stored = store().putDirectory(key, dir);
        Path restored = temp.resolve("restored/checkpoint");
        store().extractTo(key, restored);

        assertThat(stored.size()).isPositive();
        assertThat(tree(restored)).isEqualTo(tree(dir));
        assertThat(restored.resolve("params/empty")).isEmptyDirectory();
    }

    @Test
    void extractsIntoAnEmptyDirectory() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("one-file"));
        Files.writeString(dir.resolve("a.txt"), "a");
        String key = uniqueKey("one.zip");
        store().putDirectory(key, dir);
        Path target = Files.createDirectories(temp.resolve("empty-target"));

        store().extractTo(key, target);

        assertThat(target.resolve("a.txt")).hasContent("a");
    }

    /** Relative path → content (directories map to "dir") of every entry under {@code root}. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString();
                try {
                    tree.put(name, Files.isDirectory(path) ? "dir" : sha256(Files.readAllBytes(path)));
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
        return tree;
    }

    static byte[] zipWithEntry(String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("fine.txt"));
            zip.write("fine".getBytes());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(name));
            zip.write("evil".getBytes());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void rejectsZipSlipEntriesAndLeavesNothingBehind() throws Exception {
        for (String entry : List.of("../evil.txt", "a/../../evil.txt", "/tmp/evil.txt", "..\\evil.txt")) {
            String key = uniqueKey("slip.zip");
            store().put(key, new ByteArrayInputStream(zipWithEntry(entry)));
            Path parent = Files.createDirectories(temp.resolve("slip-" + UUID.randomUUID()));
            Path target = parent.resolve("restored");

            assertThatThrownBy(() -> store().extractTo(key, target))
                    .as(entry)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(ZipException.class)
                    .hasMessageContaining("Extracting artifact " + key);

            assertThat(parent).as(entry).isEmptyDirectory();
            assertThat(temp.resolve("evil.txt")).doesNotExist();
        }
    }

    @Test
    void refusesToExtractIntoADirectoryWithFiles() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("src"));
        Files.writeString(dir.resolve("a.txt"), "a");
        String key = uniqueKey("src.zip");
        store().putDirectory(key, dir);

        assertThatThrownBy(() -> store().extractTo(key, dir)).isInstanceOf(UncheckedIOException.class);
        assertThat(dir.resolve("a.txt")).hasContent("a");
    }

    @Test
    void failsAPutWhoseSourceFailsAndKeepsNothingOfIt() {
        String key = uniqueKey("broken");

        assertThatThrownBy(() -> store().put(key, failingAfter(2 * MIB)))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("source failed after " + 2 * MIB + " bytes");

        assertThat(store().find(key)).isEmpty();
        assertNothingStoredUnder(key);
    }

    @Test
    void failsAReplaceWhoseSourceFailsAndKeepsTheOldContent() throws Exception {
        String key = uniqueKey("kept");
        byte[] old = randomBytes(MIB + 1, 6);
        store().put(key, new ByteArrayInputStream(old));

        assertThatThrownBy(() -> store().put(key, failingAfter(2 * MIB))).isInstanceOf(UncheckedIOException.class);

        assertThat(read(key)).isEqualTo(old);
    }

    @Test
    void failsADirectoryPutWhoseWriterFailsMidway() {
        String key = uniqueKey("half.zip");

        assertThatThrownBy(() -> DirectoryArchives.putStreamed(store(), key, out -> {
                    out.write(randomBytes(2 * MIB, 7));
                    throw new IOException("disk gone");
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("disk gone");

        assertThat(store().find(key)).isEmpty();
    }

    @Test
    void rejectsAMissingKey() {
        String key = uniqueKey("never-stored");

        assertThat(store().find(key)).isEmpty();
        assertThatThrownBy(() -> store().open(key))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Artifact " + key + " does not exist");
        assertThatThrownBy(() -> store().extractTo(key, temp.resolve("x"))).isInstanceOf(NotFoundException.class);
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void rejectsBadKeys() {
        List<String> bad = List.of(
                "",
                "/abs",
                "a/../b",
                "..",
                "../a",
                "a/..",
                "./a",
                "a/./b",
                "a//b",
                "a/",
                "sp ace",
                "ümlaut",
                "back\\slash",
                "x".repeat(501));
        for (String key : bad) {
            assertThatThrownBy(() -> store().put(key, InputStream.nullInputStream()))
                    .as(key)
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store().open(key)).as(key).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store().find(key)).as(key).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store().delete(key)).as(key).isInstanceOf(InvalidInputException.class);
        }
        assertThat(ArtifactKeys.check("x".repeat(500))).hasSize(500);
        assertThat(ArtifactKeys.check("runs/42/checkpoints/epoch-3_best.v2.zip"))
                .isNotEmpty();
    }

    @Test
    void rejectsBadPrefixes() {
        for (String prefix : List.of("", "/", "../", "runs//", "runs/../", "a b/")) {
            assertThatThrownBy(() -> store().deletePrefix(prefix)).as(prefix).isInstanceOf(InvalidInputException.class);
        }
    }

    /** The store-specific check that no byte of a failed put is left anywhere. */
    abstract void assertNothingStoredUnder(String key);
}
