package io.fulcrum.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A version as listed: its spec at a glance and each task's test metric. */
@Schema(description = "A registered model version as listed")
public record ModelVersionSummary(
        int version,
        long runId,
        String description,
        List<String> aliases,
        SpecSummary summary,

        @Schema(description = "Per task, the task group's metric on the test split")
        Map<String, TestMetric> testMetrics,

        Instant createdAt,
        String createdBy) {

    @Schema(name = "ModelVersionTestMetric")
    public record TestMetric(@Schema(example = "AUC") String metric, double value) {}
}
