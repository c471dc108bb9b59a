package io.fulcrum.experiment;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import java.time.Instant;
import java.util.List;

/** A run as stored, every JSON column parsed. */
public record RunRecord(
        long id,
        Long studyId,
        String label,
        long taskGroupId,
        long taskGroupVersion,
        long datasetId,
        Long scheduleId,
        Integer scheduleVersion,
        List<RunTask> tasks,
        ModelSpec spec,
        TrainingSettings training,
        LossWeightSpec lossWeights,
        ResourceRequest resources,
        int priority,
        String configHash,
        RunState state,
        String reason,
        int attempt,
        int lostLeases,
        int maxAttempts,
        Long workerId,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        int checkpointEpoch,
        String checkpointKey,
        String modelKey,
        RunResult result,
        Instant createdAt,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt) {}
