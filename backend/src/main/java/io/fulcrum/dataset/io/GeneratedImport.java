package io.fulcrum.dataset.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.springframework.util.FileSystemUtils;

/** Writes generated rows into a columnar cache, the same format a file import produces. */
public final class GeneratedImport {

    private GeneratedImport() {}

    public static ImportReport run(GeneratedRows source, SplitSpec.Random split, Path target) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".generating-" + UUID.randomUUID());
        Files.createDirectories(staging);
        List<ColumnSchema> schema = source.schema();
        float[] numbers = new float[schema.size()];
        String[] categories = new String[schema.size()];
        CacheRow row = new CacheRow() {
            @Override
            public float number(int column) {
                return numbers[column];
            }

            @Override
            public String category(int column) {
                return categories[column];
            }
        };
        try {
            CacheMeta meta;
            try (CacheWriter writer = new CacheWriter(staging, schema)) {
                for (long r = 0; r < source.rows(); r++) {
                    source.next(numbers, categories);
                    writer.append(row, split.splitOf(r, null));
                }
                meta = writer.finish();
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return new ImportReport(meta, 0, List.of());
        } catch (IOException | RuntimeException e) {
            FileSystemUtils.deleteRecursively(staging);
            throw e;
        }
    }
}
