package io.fulcrum;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application: the server (dashboard, API and by default an embedded worker) or,
 * without a web server, the worker. The jar's entry point is {@code io.fulcrum.launcher.FulcrumLauncher},
 * which also runs the headless cli.
 */
@SpringBootApplication
public class FulcrumApplication {}
