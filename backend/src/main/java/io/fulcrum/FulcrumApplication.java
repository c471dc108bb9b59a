package io.fulcrum;

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
        SpringApplication.run(FulcrumApplication.class, args);
    }
}
