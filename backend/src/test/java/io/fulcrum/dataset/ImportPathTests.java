package io.fulcrum.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * No path traversal: an import reads only files inside {@code fulcrum.datasets.allowed-roots} (links
 * resolved), and an upload is stored under its generated id whatever the client calls it.
 */
@FulcrumSpringTest
class ImportPathTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${fulcrum.data-dir}")
    Path dataDir;

    Path dir;

    @BeforeEach
    void filesInsideTheDataDirectory() throws IOException {
        dir = dataDir.toAbsolutePath()
                .resolve("import-path-tests")
                .resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ok.csv"), "click,price\n1,2.0\n0,3.0\n");
    }

    static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    MvcTestResult preview(String path) {
        return mvc.post()
                .uri("/api/datasets/preview")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"path\": " + quoted(path) + "}")
                .exchange();
    }

    MvcTestResult create(String path) {
        return mvc.post()
                .uri("/api/datasets")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"traversal-" + UUID.randomUUID() + "\", \"kind\": \"FILE\", \"file\": {\"path\": "
                        + quoted(path) + "}}")
                .exchange();
    }

    static String quoted(String text) {
        return io.fulcrum.system.Json.MAPPER.writeValueAsString(text);
    }

    static List<Map<String, Object>> errors(MvcTestResult result) {
        return JsonPath.read(body(result), "$.errors");
    }

    void refusedAs(MvcTestResult result, String rule) {
        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(errors(result))
                .extracting(e -> e.get("field"), e -> e.get("rule"))
                .containsExactly(tuple("file.path", rule));
    }

    @Nested
    class OutsideTheAllowedRoots {

        @ParameterizedTest
        @ValueSource(strings = {"/etc/passwd", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/proc/self/environ"})
        void isRefusedByPreviewAndImport(String path) {
            long datasets = jdbc.queryForObject("SELECT count(*) FROM dataset", Long.class);

            refusedAs(preview(path), "allowed-root");
            refusedAs(create(path), "allowed-root");

            assertThat(jdbc.queryForObject("SELECT count(*) FROM dataset", Long.class))
                    .isEqualTo(datasets);
        }

        @Test
        void dotDotSegmentsClimbingOutOfTheDataDirectory() {
            String path = dir + "/../../../../../../../../etc/passwd";

            refusedAs(preview(path), "allowed-root");
        }

        @Test
        void aLinkInsideTheDataDirectoryToAFileOutside() throws IOException {
            Path link = Files.createSymbolicLink(dir.resolve("passwd.csv"), Path.of("/etc/passwd"));

            refusedAs(preview(link.toString()), "allowed-root");
            refusedAs(create(link.toString()), "allowed-root");
        }

        @Test
        void aLinkedDirectoryLeadingOutside() throws IOException {
            Files.createSymbolicLink(dir.resolve("etc"), Path.of("/etc"));

            refusedAs(preview(dir.resolve("etc").resolve("passwd").toString()), "allowed-root");
        }

        @Test
        void theAnswerDoesNotTellWhetherTheFileExists() {
            MvcTestResult existing = preview("/etc/passwd");
            MvcTestResult missing = preview("/etc/no-such-file-" + UUID.randomUUID());

            assertThat(errors(existing).get(0).get("message"))
                    .isEqualTo(errors(missing).get(0).get("message"));
        }
    }

    @Nested
    class InsideTheAllowedRoots {

        @Test
        void aFileIsPreviewed() {
            MvcTestResult result = preview(dir.resolve("ok.csv").toString());

            assertThat(result).hasStatus(HttpStatus.OK);
            assertThat(result).bodyJson().extractingPath("$.columnNames").isEqualTo(List.of("click", "price"));
        }

        @Test
        void aLinkToAFileInsideIsFollowed() throws IOException {
            Path link = Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("ok.csv"));

            assertThat(preview(link.toString())).hasStatus(HttpStatus.OK);
        }

        @Test
        void anEncodedDotDotIsJustAFileNameThatDoesNotExist() {
            refusedAs(preview(dir + "/..%2F..%2Fok.csv"), "readable-file");
        }

        @Test
        void aPathWithANulCharacterIsNotAPath() {
            refusedAs(preview(dir + "/ok.csv\u0000.txt"), "valid-path");
        }
    }

    @Nested
    class Uploads {

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "../../escaped.csv",
                    "..%2F..%2Fescaped.csv",
                    "/tmp/escaped.csv",
                    "C:\\Windows\\escaped.csv",
                    "..",
                    ".hidden"
                })
        void areStoredUnderTheirGeneratedIdWhateverTheClientCallsThem(String name) throws IOException {
            byte[] csv = "click,price\n1,2.0\n".getBytes(StandardCharsets.UTF_8);

            MvcTestResult result = mvc.perform(MockMvcRequestBuilders.multipart("/api/datasets/uploads")
                    .file(new MockMultipartFile("file", name, "text/csv", csv)));

            assertThat(result).hasStatus(HttpStatus.CREATED);
            String id = JsonPath.read(body(result), "$.uploadId");
            Path uploads = dataDir.toAbsolutePath().resolve("uploads");
            try (var stored = Files.list(uploads.resolve(id))) {
                assertThat(stored.map(p -> p.getFileName().toString())).containsExactly("content");
            }
            assertThat(Files.readAllBytes(uploads.resolve(id).resolve("content")))
                    .isEqualTo(csv);
            assertThat(Files.exists(dataDir.toAbsolutePath().resolve("escaped.csv")))
                    .isFalse();
            assertThat(Files.exists(Path.of("/tmp/escaped.csv"))).isFalse();
            String shown = JsonPath.read(body(result), "$.fileName");
            assertThat(shown).doesNotContain("/", "\\").isNotIn("", ".", "..");
        }
    }
}
