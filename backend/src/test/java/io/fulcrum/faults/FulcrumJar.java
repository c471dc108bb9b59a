package io.fulcrum.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Fulcrum process started from the packaged jar ({@code java -jar fulcrum.jar}, as in production)
 * on the test's PostgreSQL: a server (dashboard, API and its embedded worker unless told otherwise)
 * or a worker. Its output goes to a log file that failures quote.
 */
final class FulcrumJar implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private FulcrumJar(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** A server on a free port; {@code args} are extra {@code --property=value} arguments. */
    static FulcrumJar server(String name, ExternalPostgres db, Path dir, List<String> jvm, List<String> args)
            throws IOException {
        return server(name, db, dir, ExternalPostgres.freePort(), jvm, args);
    }

    /** A server on {@code port}: the same server started again comes back where its clients expect it. */
    static FulcrumJar server(String name, ExternalPostgres db, Path dir, int port, List<String> jvm, List<String> args)
            throws IOException {
        List<String> all = new ArrayList<>(List.of("--server.port=" + port));
        all.addAll(args);
        return start(name, db, dir, jvm, all, Map.of(), port);
    }

    /**
     * A server on its own embedded PostgreSQL, whose data lives in {@code dataDir}: a second server
     * given the same directory is the same installation started again.
     */
    static FulcrumJar embedded(String name, Path dir, Path dataDir, List<String> jvm) throws IOException {
        int port = ExternalPostgres.freePort();
        return start(
                name,
                null,
                dir,
                jvm,
                List.of("--server.port=" + port),
                Map.of("FULCRUM_DATA_DIR", dataDir.toString()),
                port);
    }

    /** A worker ({@code java -jar fulcrum.jar worker}) presenting {@code workerToken}. */
    static FulcrumJar worker(
            String name, ExternalPostgres db, Path dir, String workerToken, List<String> jvm, List<String> args)
            throws IOException {
        List<String> all = new ArrayList<>(List.of("worker", "--fulcrum.worker.name=" + name));
        all.addAll(args);
        return start(name, db, dir, jvm, all, Map.of("FULCRUM_WORKER_TOKEN", workerToken), -1);
    }

    private static FulcrumJar start(
            String name,
            ExternalPostgres db,
            Path dir,
            List<String> jvm,
            List<String> args,
            Map<String, String> env,
            int port)
            throws IOException {
        Path jar = Path.of(System.getProperty("fulcrum.jar", "target/fulcrum.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests after `package`");
        }
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // nothing from the environment the build runs in may change what is tested
        builder.environment().keySet().removeIf(key -> key.startsWith("FULCRUM_"));
        if (db != null) {
            builder.environment().put("FULCRUM_DB_URL", db.jdbcUrl());
            builder.environment().put("FULCRUM_DB_USER", "postgres");
            builder.environment().put("FULCRUM_DB_PASSWORD", "postgres");
        }
        builder.environment().put("FULCRUM_DEMO_SEED", "false");
        builder.environment()
                .put("FULCRUM_DATA_DIR", dir.resolve(name).toAbsolutePath().toString());
        builder.environment().putAll(env);
        return new FulcrumJar(name, builder.start(), log, port);
    }

    int port() {
        return port;
    }

    String base() {
        return "http://localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        String all = log();
        return name + ".log (end):\n" + all.substring(Math.max(0, all.length() - 6000));
    }

    /** Waits until the server answers its health check with 200 (its database included). */
    FulcrumJar awaitHealthy(Duration timeout) {
        Faults.await(timeout, () -> status("/actuator/health") == 200, this::tail);
        return this;
    }

    /** Waits until the log shows {@code text}. */
    FulcrumJar awaitLog(String text, Duration timeout) {
        Faults.await(timeout, () -> log().contains(text), this::tail);
        return this;
    }

    /** The status of an anonymous GET, or -1 when nothing answers; fails at once if the process died. */
    int status(String path) {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with status " + process.exitValue() + "\n" + tail());
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(10))
                    .GET()
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then waits for the process to end by itself (a clean shutdown). */
    void terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not stop within " + wait + "\n" + tail());
        }
    }

    /** SIGKILL: no shutdown hook, nothing handed back, like a machine lost. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
