package io.fulcrum.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SHA-256 of a cache directory: every regular file in the order of its relative path, each as its
 * path, its length and its bytes, so a renamed, cut or changed file changes the hash.
 */
final class CacheDigest {

    private CacheDigest() {}

    static String of(Path dir) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile)
                        .sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b)))
                        .toList();
            }
            byte[] buffer = new byte[1 << 16];
            for (Path f : files) {
                digest.update(relative(dir, f).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Long.toString(Files.size(f)).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) 0);
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), digest)) {
                    while (in.read(buffer) >= 0) {
                        // the digest reads along
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
