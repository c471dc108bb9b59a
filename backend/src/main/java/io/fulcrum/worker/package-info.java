/**
 * Worker nodes: a process (or the server's embedded worker) that registers its capabilities, leases
 * runs from the experiment queue, trains them with the engine, streams metrics back, checkpoints
 * every epoch into the artifact store and keeps its leases alive with a heartbeat.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Workers")
package io.fulcrum.worker;
