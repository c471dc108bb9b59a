/** The jar's entry point: the cli, the worker or the server, chosen by the first argument. */
@org.springframework.modulith.ApplicationModule(displayName = "Launcher")
package io.fulcrum.launcher;
