package io.fulcrum.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fulcrum.mtl.model.TaskType;
import io.fulcrum.taskgroup.EvaluationMetric;

/**
 * A task as a run trains it: where its labels and sample space come from in the dataset, and the
 * metric the task group judges it by (AUC, LOGLOSS, MSE or MAE).
 */
public record RunTask(String name, TaskType type, String labelColumn, String spaceColumn, String metric) {

    @JsonIgnore
    public EvaluationMetric evaluationMetric() {
        return EvaluationMetric.valueOf(metric);
    }
}
