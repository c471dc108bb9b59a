/**
 * Task groups: which tasks one multi-task model learns together, each with its label column, loss,
 * metric, sample space and loss-weight schedule parameters (ω0, γ).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Task groups")
package io.fulcrum.taskgroup;
