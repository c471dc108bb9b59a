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
}
