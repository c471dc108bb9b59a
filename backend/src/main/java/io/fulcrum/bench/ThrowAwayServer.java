package io.fulcrum.bench;

import io.fulcrum.FulcrumApplication;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The real server on a free port over a fresh embedded PostgreSQL in a temporary data directory,
 * without demo data: what the benchmarks that need a server start. Closing it stops the server and
 * deletes the directory.
 */
final class ThrowAwayServer implements AutoCloseable {

    private final Path dir;
    private final ConfigurableApplicationContext app;

    private ThrowAwayServer(Path dir, ConfigurableApplicationContext app) {
        this.dir = dir;
        this.app = app;
    }

    /**
     * Starts it; {@code settings} are further {@code --name=value} properties, given as command-line
     * arguments because those outrank application.properties (default properties do not).
     */
    static ThrowAwayServer start(String name, PrintStream err, String... settings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("fulcrum-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        err.println("starting Fulcrum on a fresh embedded PostgreSQL in " + dir);
        // a benchmark's own setting replaces the default of the same name (Spring would join repeats)
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : List.of(
                "--server.port=0",
                "--fulcrum.data-dir=" + dir,
                "--fulcrum.database.embedded.clean-on-start=true",
                "--fulcrum.demo.seed=false",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN")) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        for (String arg : settings) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        try {
            return new ThrowAwayServer(
                    dir,
                    new SpringApplicationBuilder(FulcrumApplication.class)
                            .run(args.values().toArray(String[]::new)));
        } catch (RuntimeException e) {
            FileSystemUtils.deleteRecursively(dir.toFile());
            throw e;
        }
    }

    ConfigurableApplicationContext app() {
        return app;
    }

    /** {@code http://localhost:<port>}. */
    String baseUrl() {
        return "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            FileSystemUtils.deleteRecursively(dir.toFile());
        }
    }
}
