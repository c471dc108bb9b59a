/**
 * Where Fulcrum keeps its data: an external PostgreSQL when a URL is configured, otherwise one
 * embedded PostgreSQL per JVM with a persistent data directory.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Database")
package io.fulcrum.database;
