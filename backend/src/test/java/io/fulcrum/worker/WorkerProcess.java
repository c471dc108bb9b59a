package io.fulcrum.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code java -jar fulcrum.jar worker} process on the test's PostgreSQL, its output in a log
 * file, presenting the given WORKER token as FULCRUM_WORKER_TOKEN.
 */
final class WorkerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String name, int databasePort, Path dir, String token) throws IOException {
        Path jar = Path.of(System.getProperty("fulcrum.jar", "target/fulcrum.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests after `package`");
        }
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-jar",
                jar.toAbsolutePath().toString(),
                "worker",
                "--fulcrum.worker.name=" + name,
                "--fulcrum.worker.heartbeat=500ms",
                "--fulcrum.worker.lease=3s",
                "--fulcrum.worker.poll=200ms",
                "--fulcrum.runs.expiry-check=1s",
                "--fulcrum.data-dir=" + dir.resolve(name).toAbsolutePath()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FULCRUM_DB_URL", "jdbc:postgresql://localhost:" + databasePort + "/postgres");
        builder.environment().put("FULCRUM_DB_USER", "postgres");
        builder.environment().put("FULCRUM_DB_PASSWORD", "postgres");
        builder.environment().remove("FULCRUM_ROLE");
        builder.environment().put("FULCRUM_WORKER_TOKEN", token);
        return new WorkerProcess(name, builder.start(), log);
    }

    String name() {
        return name;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL: no shutdown hook, no goodbye, exactly like a machine lost. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the worker shuts down cleanly and gives its runs back. */
    void terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not stop within " + wait + ":\n" + log());
        }
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + wait + ":\n" + log());
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
