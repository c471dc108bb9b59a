/**
 * Rollout of model versions to users: surfaces that ask for rankings, the ranking endpoint that
 * scores candidates with a model version and combines the task predictions by weighted
 * multiplication, A/B experiments with deterministic bucket assignment, ramp plans and guardrails,
 * idempotent ingestion of user events, and the statistics that read an experiment's result.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Rollout")
package io.fulcrum.rollout;
