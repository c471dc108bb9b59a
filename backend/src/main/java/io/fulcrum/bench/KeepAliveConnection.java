package io.fulcrum.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection for a load generator: requests are encoded to bytes once and
 * written whole, responses are read into a buffer the connection reuses and thrown away. The JDK's
 * {@code HttpClient} copies every request body and runs a selector thread; in a benchmark that shares
 * its JVM with the server under test, that garbage and CPU would be charged to the server. Reconnects
 * when the server closes the connection (Tomcat does after {@code maxKeepAliveRequests}), and retries
 * a request once when a reused connection turns out to be closed before answering.
 */
final class KeepAliveConnection implements AutoCloseable {

    private final InetSocketAddress address;
    private final byte[] buf = new byte[1 << 16];
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int pos;
    private int limit;

    KeepAliveConnection(String host, int port) {
        this.address = new InetSocketAddress(host, port);
    }

    /** A whole POST request as the bytes to write. */
    static byte[] post(String host, int port, String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append("POST ")
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\nContent-Length: ")
                .append(body.length)
                .append("\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        return request;
    }

    /** Writes one encoded request, reads its whole response and returns the status code. */
    int exchange(byte[] request) throws IOException {
        boolean reused = socket != null;
        try {
            return attempt(request);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
        }
        try {
            return attempt(request);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private int attempt(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(request);
        out.flush();
        return readResponse();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(address, 5_000);
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        limit = 0;
    }

    private int readResponse() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> closing = value.contains("close");
                default -> {}
            }
        }
        if (chunked) {
            skipChunks();
        } else if (length >= 0) {
            skip(length);
        } else {
            closing = true; // the body runs to the end of the connection
            while (fill()) {
                pos = limit;
            }
        }
        if (closing) {
            close();
        }
        return status;
    }

    private void skipChunks() throws IOException {
        while (true) {
            String line = readLine();
            int end = line.indexOf(';');
            long size = Long.parseLong((end < 0 ? line : line.substring(0, end)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailer fields, unused
                }
                return;
            }
            skip(size);
            readLine();
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill()) {
                throw new EOFException("connection closed inside a response body");
            }
            int take = (int) Math.min(n, limit - pos);
            pos += take;
            n -= take;
        }
    }

    /** The next line without its CR LF. */
    private String readLine() throws IOException {
        int from = pos;
        while (true) {
            for (int i = from; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            from = limit - pos;
            if (!fill()) {
                throw new EOFException("connection closed before the end of a response");
            }
            from += pos;
        }
    }

    /** Reads more bytes, keeping the unread ones; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            throw new IOException("a response line is longer than " + buf.length + " bytes");
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection we no longer use; nothing to recover
            }
            socket = null;
        }
    }
}
