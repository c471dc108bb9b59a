/**
 * Experiment runs and studies: what to train (task group × dataset × model spec × training settings
 * × loss-weight schedule × resources), the PostgreSQL run queue that worker nodes lease runs from,
 * the metric points they stream back, and the comparisons (MTL gain, seesaw verdict, expert
 * utilization) that a study answers.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Experiments")
package io.fulcrum.experiment;
