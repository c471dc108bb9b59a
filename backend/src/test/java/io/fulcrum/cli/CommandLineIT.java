package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's first argument, as a person types it. */
class CommandLineIT {

    @TempDir
    Path dir;

    @Test
    void aMistypedCommandPrintsTheUsageAndStartsNothing() throws Exception {
        Process process = start("simulate-ba", "--repeats", "500");

        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the jar exits instead of starting a server")
                .isTrue();
        String output = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output)
                .contains("unknown command: simulate-ba")
                .contains("usage:")
                .contains("fulcrum worker");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no data directory, no embedded database")
                    .containsExactly("out.log");
        }
    }

    @Test
    void simulateAaRunsFromTheJarWithoutADatabase() throws Exception {
        Process process = start("simulate-aa", "--repeats", "4", "--users", "200", "--format", "json");

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("\"measures\":\"falsePositiveRate\"", "simulate-aa: 4 repeats");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.log");
        }
    }

    private Process start(String... args) throws IOException {
        Path jar =
                Path.of(System.getProperty("fulcrum.jar", "target/fulcrum.jar")).toAbsolutePath();
        List<String> command = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("FULCRUM_"));
        return builder.start();
    }
}
