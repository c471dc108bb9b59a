package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;

/** What a run records: which schedule, which of its versions, and that version's spec. */
public record ScheduleVersionRef(long scheduleId, int version, LossWeightSpec spec) {}
