package io.fulcrum.mtl.loss;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What t counts in a schedule: epochs or optimizer steps. */
public enum ScheduleUnit {
    @JsonProperty("epoch")
    EPOCH,
    @JsonProperty("step")
    STEP;

    long of(TrainingClock clock) {
        return this == EPOCH ? clock.epoch() : clock.step();
    }
}
