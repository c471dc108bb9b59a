package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Request bodies over {@code fulcrum.limits.*} are answered 413 naming the limit, whether the client
 * declares their length or streams them chunked; multipart uploads are not limited.
 */
@FulcrumSpringTest
class RequestBodyLimitTests {

    private static final int MB = 1024 * 1024;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Value("${fulcrum.data-dir}")
    Path dataDir;

    /** A JSON object of about {@code bytes} bytes: a task group whose description is far too long. */
    static byte[] jsonOf(int bytes) {
        String head = "{\"name\": \"too-large\", \"tasks\": [], \"description\": \"";
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'a');
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, body, 0, head.length());
        body[bytes - 2] = '"';
        body[bytes - 1] = '}';
        return body;
    }

    @Test
    void refusesADeclaredLengthOverTheJsonLimitBeforeReadingTheBody() {
        long groups = jdbc.queryForObject("SELECT count(*) FROM task_group", Long.class);

        MvcTestResult result = mvc.post()
                .uri("/api/task-groups")
                .contentType(MediaType.APPLICATION_JSON)
                .content(jsonOf(10 * MB + 1))
                .exchange();

        assertThat(result).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.limit").isEqualTo("fulcrum.limits.max-json-body");
        assertThat(result).bodyJson().extractingPath("$.maxBytes").isEqualTo(10 * MB);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(413);
        assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("max-body-size");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("10MB", "fulcrum.limits.max-json-body");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_group", Long.class))
                .isEqualTo(groups);
    }

    @Test
    void aBodyJustUnderTheLimitIsReadAndValidated() {
        MvcTestResult result = mvc.post()
                .uri("/api/task-groups")
                .contentType(MediaType.APPLICATION_JSON)
                .content(jsonOf(10 * MB - 1000))
                .exchange();

        // read whole: the answer is the validator's, not the limit's
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .contains("description");
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWhileReadingIt() throws IOException {
        String token = TestSecurity.adminToken(context);

        Answer answer = postChunked("/api/task-groups", token, "application/json", jsonOf(10 * MB + MB / 2));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("\"limit\":\"fulcrum.limits.max-json-body\"");
    }

    @Test
    void eventsHaveTheirOwnLargerLimit() {
        // 12MB: over the JSON limit, under the events' one; unknown properties are skipped as read
        byte[] padded = new byte[12 * MB];
        Arrays.fill(padded, (byte) ' ');
        byte[] json = "{\"padding\": \"x\", \"events\": []}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, padded, padded.length - json.length, json.length);

        MvcTestResult accepted = mvc.post()
                .uri("/api/events")
                .with(TestSecurity.serving())
                .contentType(MediaType.APPLICATION_JSON)
                .content(padded)
                .exchange();
        MvcTestResult refused = mvc.post()
                .uri("/api/events")
                .with(TestSecurity.serving())
                .contentType(MediaType.APPLICATION_JSON)
                .content(new byte[32 * MB + 1])
                .exchange();

        assertThat(accepted).hasStatus(HttpStatus.OK);
        assertThat(refused).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(refused).bodyJson().extractingPath("$.limit").isEqualTo("fulcrum.limits.max-events-body");
    }

    @Test
    void uploadsAreNotLimitedAndStreamToTheDataDirectory() throws IOException {
        byte[] csv = new byte[11 * MB];
        Arrays.fill(csv, (byte) '1');
        csv[0] = 'a';
        csv[1] = '\n';

        MvcTestResult result = mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/api/datasets/uploads")
                        .file(new MockMultipartFile("file", "big.csv", "text/csv", csv)));

        assertThat(result).hasStatus(HttpStatus.CREATED);
        assertThat(result).bodyJson().extractingPath("$.bytes").isEqualTo(11 * MB);
        String id = JsonPath.read(result.getResponse().getContentAsString(), "$.uploadId");
        assertThat(Files.size(dataDir.resolve("uploads").resolve(id).resolve("content")))
                .isEqualTo(11L * MB);
    }

    @Test
    void multipartBodiesOutsideTheUploadsAreCappedToo() throws Exception {
        // the container parses multipart bodies itself, so only the declared length can stop them
        byte[] body = new byte[10 * MB + 1];
        Arrays.fill(body, (byte) 'x');

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/task-groups"))
                                .header("Authorization", "Bearer " + TestSecurity.adminToken(context))
                                .header("Content-Type", "multipart/form-data; boundary=b")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"limit\":\"fulcrum.limits.max-json-body\"");
    }

    @Test
    void aMultipartBodyOutsideTheUploadsMustDeclareItsLength() throws IOException {
        byte[] part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"
                .getBytes(StandardCharsets.US_ASCII);

        Answer answer = postChunked(
                "/api/task-groups", TestSecurity.adminToken(context), "multipart/form-data; boundary=b", part);

        assertThat(answer.status()).isEqualTo(411);
        assertThat(answer.body()).contains("urn:fulcrum:problem:length-required");
    }

    @Test
    void refusesHeadersOverTheHeaderLimit() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                                .header("X-Padding", "p".repeat(20 * 1024))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
    }

    record Answer(int status, String body) {}

    /**
     * Posts the body with {@code Transfer-Encoding: chunked} (no Content-Length, so only counting while
     * reading can stop it) over a plain socket, and reads the answer.
     */
    Answer postChunked(String path, String token, String contentType, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            int chunk = 64 * 1024;
            try {
                for (int offset = 0; offset < body.length; offset += chunk) {
                    int n = Math.min(chunk, body.length - offset);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server may stop reading and answer before the whole body is sent
            }
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                String text = bytes.toString(StandardCharsets.UTF_8);
                if (text.contains("\r\n\r\n") && text.endsWith("}") || text.endsWith("0\r\n\r\n")) {
                    break;
                }
            }
        } catch (IOException e) {
            if (bytes.size() == 0) {
                throw e;
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(text.substring(9, 12));
        return new Answer(status, text.substring(text.indexOf("\r\n\r\n") + 4));
    }
}
