package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One version of a schedule, as it was stored. */
@Schema(name = "LossWeightScheduleVersion")
public record ScheduleVersionView(long scheduleId, int version, String type, LossWeightSpec spec, Instant createdAt) {}
