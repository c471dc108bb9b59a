package io.fulcrum;

import io.fulcrum.cli.FulcrumCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** One jar, three roles: the server (dashboard and API), the worker, and the headless cli. */
@SpringBootApplication
public class FulcrumApplication {

    public static void main(String[] args) {
        // The PyTorch natives ship inside the jar; never let DJL reach for the internet instead.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length > 0 && FulcrumCli.handles(args[0])) {
            // headless commands need neither the database nor Spring: run and exit with their status
            System.exit(FulcrumCli.run(args));
        }
        SpringApplication.run(FulcrumApplication.class, args);
    }
}
