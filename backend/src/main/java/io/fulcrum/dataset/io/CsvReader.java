package io.fulcrum.dataset.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.GZIPInputStream;

/**
 * Streams the records of a delimited text file, plain or gzip-compressed, one line at a time with
 * its line number. Fields may be quoted with '"' (doubled quotes inside); a quoted field may not span
 * lines, which keeps line numbers in error reports honest.
 *
 * <p>A record is kept as the line and the bounds of its fields, so that numbers can be parsed in
 * place without a string per field (see {@link FastFloat}). Reading and decoding the text runs on a
 * thread of its own, a batch of lines ahead, so that parsing has the other core to itself.
 */
public final class CsvReader implements Closeable {

    private static final int BATCH_LINES = 2048;
    private static final String[] END = new String[0];

    private final LineSource lines;
    private final CountingInputStream counter;
    private final char delimiter;
    private String[] batch = new String[0];
    private int next;
    private final StringBuilder unquoted = new StringBuilder();
    private String line;
    private int count;
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private String[] quoted = new String[64];
    private long lineNumber;

    private CsvReader(BufferedReader reader, CountingInputStream counter, char delimiter) {
        this.lines = new LineSource(reader);
        this.counter = counter;
        this.delimiter = delimiter;
        lines.start();
    }

    public static CsvReader open(Path file, CsvFormat format) throws IOException {
        CountingInputStream counter = new CountingInputStream(Files.newInputStream(file));
        InputStream in = new BufferedInputStream(counter, 1 << 16);
        if (isGzip(in)) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new CsvReader(
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16),
                counter,
                format.delimiter());
    }

    /** Bytes of the file (compressed, for gzip) read so far: what a progress bar measures against its size. */
    public long bytesRead() {
        return counter.count;
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    /** Moves to the next non-empty line; false at the end. */
    public boolean advance() throws IOException {
        do {
            line = nextLine();
            if (line == null) {
                return false;
            }
            lineNumber++;
        } while (line.isBlank());
        split();
        return true;
    }

    private String nextLine() throws IOException {
        if (next == batch.length) {
            if (batch == END) {
                return null;
            }
            batch = lines.take();
            next = 0;
            if (batch == END) {
                return null;
            }
        }
        return batch[next++];
    }

    /** The fields of the next non-empty line as strings, or null at the end. */
    public List<String> next() throws IOException {
        return advance() ? fields() : null;
    }

    /** The current record's fields as new strings. */
    public List<String> fields() {
        List<String> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fields.add(field(i));
        }
        return fields;
    }

    public int fieldCount() {
        return count;
    }

    public String field(int i) {
        return quoted[i] != null ? quoted[i] : line.substring(starts[i], ends[i]);
    }

    /** The field as a float, NaN when it is not a finite number. */
    public float floatField(int i) {
        if (quoted[i] != null) {
            return FastFloat.parse(quoted[i], 0, quoted[i].length());
        }
        return FastFloat.parse(line, starts[i], ends[i]);
    }

    /** Whether the field, stripped, is empty or one of the usual spellings of "missing". */
    public boolean isMissing(int i) {
        String text = quoted[i] != null ? quoted[i] : line;
        int start = quoted[i] != null ? 0 : starts[i];
        int end = quoted[i] != null ? quoted[i].length() : ends[i];
        while (start < end && text.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        // compared in place: most fields are short numbers, and a substring each would cost an allocation
        return switch (end - start) {
            case 0 -> true;
            case 1 -> text.charAt(start) == '?';
            case 2 -> text.regionMatches(true, start, "na", 0, 2);
            case 3 -> text.regionMatches(true, start, "nan", 0, 3);
            case 4 -> text.regionMatches(true, start, "null", 0, 4) || text.regionMatches(true, start, "none", 0, 4);
            default -> false;
        };
    }

    /** The 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    private void split() {
        count = 0;
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            length--;
        }
        int start = 0;
        while (true) {
            ensureCapacity();
            if (start < length && line.charAt(start) == '"') {
                start = quotedField(start + 1, length);
            } else {
                int end = line.indexOf(delimiter, start);
                if (end < 0 || end >= length) {
                    add(start, length, null);
                    return;
                }
                add(start, end, null);
                start = end + 1;
            }
            if (start > length) {
                return;
            }
        }
    }

    /** Reads a quoted field starting after its opening quote; returns where the next field starts. */
    private int quotedField(int from, int length) {
        unquoted.setLength(0);
        int i = from;
        while (i < length) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < length && line.charAt(i + 1) == '"') {
                    unquoted.append('"');
                    i += 2;
                    continue;
                }
                break;
            }
            unquoted.append(c);
            i++;
        }
        add(0, 0, unquoted.toString());
        int next = line.indexOf(delimiter, i);
        return next < 0 || next >= length ? length + 1 : next + 1;
    }

    private void add(int start, int end, String quotedValue) {
        starts[count] = start;
        ends[count] = end;
        quoted[count] = quotedValue;
        count++;
    }

    private void ensureCapacity() {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            quoted = Arrays.copyOf(quoted, count * 2);
        }
    }

    @Override
    public void close() throws IOException {
        lines.shutDown();
    }

    /** Reads lines on its own thread and hands them over in batches; END marks the end of the file. */
    private static final class LineSource extends Thread {

        private final BufferedReader reader;
        private final BlockingQueue<String[]> batches = new ArrayBlockingQueue<>(8);
        private volatile IOException failure;

        LineSource(BufferedReader reader) {
            super("csv-reader");
            setDaemon(true);
            this.reader = reader;
        }

        @Override
        public void run() {
            try (reader) {
                List<String> pending = new ArrayList<>(BATCH_LINES);
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    pending.add(line);
                    if (pending.size() == BATCH_LINES) {
                        batches.put(pending.toArray(String[]::new));
                        pending.clear();
                    }
                }
                if (!pending.isEmpty()) {
                    batches.put(pending.toArray(String[]::new));
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                return;
            }
            try {
                batches.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String[] take() throws IOException {
            try {
                String[] taken = batches.take();
                if (taken == END && failure != null) {
                    throw failure;
                }
                return taken;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading", e);
            }
        }

        void shutDown() throws IOException {
            interrupt();
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reader.close();
        }
    }

    private static final class CountingInputStream extends FilterInputStream {

        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(n, 0);
            return n;
        }
    }
}
