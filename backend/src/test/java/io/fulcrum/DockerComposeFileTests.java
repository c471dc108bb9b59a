package io.fulcrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Validates docker-compose.yml with Debian's compose parser. Nothing is started: these machines
 * have no Docker engine. Skipped on a developer machine without docker-compose, never in CI.
 */
class DockerComposeFileTests {

    private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");

    @Test
    void composeFileIsValid() throws IOException, InterruptedException {
        assumeThat(onPath("docker-compose") || "true".equals(System.getenv("CI")))
                .as("docker-compose is not installed (.ci/run installs it)")
                .isTrue();

        Process process = new ProcessBuilder("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "-q")
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(finished).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void composeFileDefinesDatabaseServerAndGpuWorker() throws IOException {
        String compose = Files.readString(COMPOSE_FILE);

        assertThat(compose)
                .contains("postgres:", "fulcrum:", "fulcrum-worker:")
                .contains("condition: service_healthy")
                .contains("capabilities: [gpu]")
                .contains("FULCRUM_ROLE: worker")
                // the GPU worker runs the CUDA flavour of the jar
                .contains("JAR: target/cuda/fulcrum-cuda.jar");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
