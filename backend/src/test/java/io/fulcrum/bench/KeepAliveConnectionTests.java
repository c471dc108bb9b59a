package io.fulcrum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's lean client against the JDK's own HTTP server. */
class KeepAliveConnectionTests {

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Object> connections = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            connections.add(exchange.getRemoteAddress().getPort());
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            connections.add(exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(400, 0); // length 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write(("part " + i + " ").repeat(300).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.createContext("/closing", exchange -> {
            exchange.getRequestBody().readAllBytes();
            connections.add(exchange.getRemoteAddress().getPort());
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private byte[] post(String path, String body) {
        return KeepAliveConnection.post(
                "127.0.0.1",
                server.getAddress().getPort(),
                path,
                Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsWholeRequestsAndReadsFixedAndChunkedAnswersOnOneConnection() throws IOException {
        try (KeepAliveConnection c =
                new KeepAliveConnection("127.0.0.1", server.getAddress().getPort())) {
            assertThat(c.exchange(post("/fixed", "{\"n\":1}"))).isEqualTo(200);
            // a chunked body far larger than the client's buffer, read to its end
            assertThat(c.exchange(post("/chunked", "{}"))).isEqualTo(400);
            assertThat(c.exchange(post("/fixed", "{\"n\":2}"))).isEqualTo(200);
        }
        assertThat(bodies).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(connections).hasSize(3).containsOnly(connections.get(0));
    }

    @Test
    void opensAFreshConnectionAfterTheServerClosesOne() throws IOException {
        try (KeepAliveConnection c =
                new KeepAliveConnection("127.0.0.1", server.getAddress().getPort())) {
            assertThat(c.exchange(post("/closing", "{}"))).isEqualTo(204);
            assertThat(c.exchange(post("/fixed", "{\"n\":3}"))).isEqualTo(200);
        }
        assertThat(connections).hasSize(2);
        assertThat(connections.get(1)).isNotEqualTo(connections.get(0));
        assertThat(bodies).containsExactly("{\"n\":3}");
    }
}
