package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.RunTask;
import io.fulcrum.experiment.TrainingSettings;
import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.model.ModelSpec;
import java.util.List;

/** A validated run, every default resolved: exactly what is queued. */
public record RunPlan(
        String label,
        long taskGroupId,
        long taskGroupVersion,
        long datasetId,
        List<RunTask> tasks,
        ModelSpec spec,
        TrainingSettings training,
        LossWeightSpec lossWeights,
        Long scheduleId,
        Integer scheduleVersion,
        ResourceRequest resources,
        int priority,
        int maxAttempts,
        String configHash) {}
