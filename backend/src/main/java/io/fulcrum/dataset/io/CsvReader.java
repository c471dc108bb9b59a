package io.fulcrum.dataset.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Streams the records of a delimited text file, plain or gzip-compressed, one line at a time with
 * its line number. Fields may be quoted with '"' (doubled quotes inside); a quoted field may not span
 * lines, which keeps line numbers in error reports honest.
 */
public final class CsvReader implements Closeable {

    private final BufferedReader reader;
    private final char delimiter;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private long lineNumber;

    private CsvReader(BufferedReader reader, char delimiter) {
        this.reader = reader;
        this.delimiter = delimiter;
    }

    public static CsvReader open(Path file, CsvFormat format) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (isGzip(in)) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new CsvReader(
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), format.delimiter());
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    /** The fields of the next non-empty line, or null at the end; the list is reused between calls. */
    public List<String> next() throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                return null;
            }
            lineNumber++;
        } while (line.isBlank());
        split(line);
        return fields;
    }

    /** The 1-based number of the line that {@link #next()} returned last. */
    public long lineNumber() {
        return lineNumber;
    }

    private void split(String line) {
        fields.clear();
        int length = line.length();
        int start = 0;
        while (true) {
            if (start < length && line.charAt(start) == '"') {
                start = quoted(line, start + 1);
            } else {
                int end = line.indexOf(delimiter, start);
                if (end < 0) {
                    fields.add(line.substring(start, trimCarriageReturn(line, length)));
                    return;
                }
                fields.add(line.substring(start, end));
                start = end + 1;
            }
            if (start > length) {
                return;
            }
        }
    }

    /** Reads a quoted field starting after its opening quote; returns where the next field starts. */
    private int quoted(String line, int from) {
        field.setLength(0);
        int i = from;
        int length = line.length();
        while (i < length) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < length && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                break;
            }
            field.append(c);
            i++;
        }
        fields.add(field.toString());
        int next = line.indexOf(delimiter, i);
        return next < 0 ? length + 1 : next + 1;
    }

    private static int trimCarriageReturn(String line, int length) {
        return length > 0 && line.charAt(length - 1) == '\r' ? length - 1 : length;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
