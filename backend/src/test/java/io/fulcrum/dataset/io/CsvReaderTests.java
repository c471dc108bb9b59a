package io.fulcrum.dataset.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTests {

    @TempDir
    Path dir;

    List<List<String>> readAll(Path file, CsvFormat format) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CsvReader reader = CsvReader.open(file, format)) {
            for (List<String> fields = reader.next(); fields != null; fields = reader.next()) {
                List<String> row = new ArrayList<>(fields);
                row.add("@" + reader.lineNumber());
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void splitsFieldsHandlingQuotesCarriageReturnsAndEmptyFields() throws IOException {
        Path file = dir.resolve("a.csv");
        Files.writeString(file, "a,b,c\r\n1,\"x, \"\"quoted\"\"\",\n\n2,,z\n");

        assertThat(readAll(file, CsvFormat.COMMA_WITH_HEADER))
                .containsExactly(
                        List.of("a", "b", "c", "@1"),
                        List.of("1", "x, \"quoted\"", "", "@2"),
                        List.of("2", "", "z", "@4"));
    }

    @Test
    void readsGzipRecognisedByItsMagicBytes() throws IOException {
        Path file = dir.resolve("a.csv.whatever");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("1\t2\n3\t4\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(readAll(file, new CsvFormat('\t', false)))
                .containsExactly(List.of("1", "2", "@1"), List.of("3", "4", "@2"));
    }

    @Test
    @Timeout(20)
    void closingEarlyStopsTheReadingThread() throws IOException {
        Path file = dir.resolve("long.csv");
        Files.writeString(file, "1,2,3\n".repeat(200_000));

        try (CsvReader reader = CsvReader.open(file, new CsvFormat(',', false))) {
            for (int i = 0; i < 5; i++) {
                assertThat(reader.advance()).isTrue();
            }
            assertThat(reader.lineNumber()).isEqualTo(5);
        }

        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().equals("csv-reader") && thread.isAlive());
    }

    @Test
    void countsTheLinesOfAFileLongerThanOneBatch() throws IOException {
        Path file = dir.resolve("lines.csv");
        Files.writeString(file, "a\n" + "1\n".repeat(10_007));

        long rows = 0;
        try (CsvReader reader = CsvReader.open(file, CsvFormat.COMMA_WITH_HEADER)) {
            while (reader.advance()) {
                rows++;
            }
            assertThat(reader.lineNumber()).isEqualTo(10_008);
            assertThat(reader.bytesRead()).isEqualTo(Files.size(file));
        }
        assertThat(rows).isEqualTo(10_008);
    }
}
