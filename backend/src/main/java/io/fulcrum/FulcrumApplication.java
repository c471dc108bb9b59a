package io.fulcrum;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class FulcrumApplication {

    public static void main(String[] args) {
        SpringApplication.run(FulcrumApplication.class, args);
    }
}
