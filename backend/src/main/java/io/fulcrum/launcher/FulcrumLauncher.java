package io.fulcrum.launcher;

import io.fulcrum.FulcrumApplication;
import io.fulcrum.cli.FulcrumCli;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The jar's entry point: a headless command goes to the cli before anything starts; {@code worker}
 * (or FULCRUM_ROLE=worker) starts {@link FulcrumApplication} without a web server; nothing, or {@code
 * server}, starts the server; any other first word is an unknown command. It lives outside the
 * application's package so that the application class depends on no module: the benchmarks start it
 * themselves ({@code io.fulcrum.bench.ThrowAwayServer}) while the cli runs them.
 */
public final class FulcrumLauncher {

    private FulcrumLauncher() {}

    public static void main(String[] args) {
        // The PyTorch natives ship inside the jar; never let DJL reach for the internet instead.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length > 0 && FulcrumCli.handles(args[0])) {
            // headless commands need neither the database nor Spring: run and exit with their status.
            // Their stdout is a table or JSON for scripts, so logging goes to stderr, also in the
            // throw-away servers some benchmarks start (Spring Boot reads logging.config)
            if (System.getProperty("logback.configurationFile") == null) {
                System.setProperty("logback.configurationFile", "logback-cli.xml");
                LoggerFactory.getILoggerFactory(); // configures logback now; Spring Boot warns if it sees the property
                System.clearProperty("logback.configurationFile");
            }
            if (System.getProperty("logging.config") == null) {
                System.setProperty("logging.config", "classpath:logback-cli.xml");
            }
            System.setProperty("spring.main.banner-mode", "off");
            System.exit(FulcrumCli.run(args));
        }
        Optional<String> unknown = FulcrumCli.unknownCommand(args);
        if (unknown.isPresent()) {
            System.err.println("unknown command: " + unknown.get());
            System.err.print(FulcrumCli.usage());
            System.exit(2);
        }
        if (args.length > 0 && args[0].equals("server")) {
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        boolean worker = args.length > 0 && args[0].equals("worker")
                || "worker"
                        .equals(String.valueOf(System.getenv("FULCRUM_ROLE"))
                                .strip()
                                .toLowerCase(Locale.ROOT));
        SpringApplicationBuilder app = new SpringApplicationBuilder(FulcrumApplication.class);
        if (worker) {
            String[] rest =
                    args.length > 0 && args[0].equals("worker") ? Arrays.copyOfRange(args, 1, args.length) : args;
            // an argument, not a default property: application.properties' fulcrum.role=${FULCRUM_ROLE:server}
            // would win over a default and make the worker believe it is a server
            args = Arrays.copyOf(rest, rest.length + 1);
            args[rest.length] = "--fulcrum.role=worker";
            app.web(WebApplicationType.NONE);
        }
        app.run(args);
    }
}
