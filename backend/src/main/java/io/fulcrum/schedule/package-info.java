/**
 * Loss-weight schedules: named, versioned specs of ω_k(t) (brief §3) that runs train with. Editing
 * a schedule's spec adds a version and keeps the old ones readable; {@link
 * io.fulcrum.schedule.LossWeightSchedules} is the module's API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Loss-weight schedules")
package io.fulcrum.schedule;
