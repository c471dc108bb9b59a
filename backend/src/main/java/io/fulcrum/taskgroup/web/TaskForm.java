package io.fulcrum.taskgroup.web;

import io.fulcrum.taskgroup.SampleSpace;
import io.fulcrum.taskgroup.TaskDefinition;
import io.fulcrum.taskgroup.TaskGroupRequest;

/** One task row of the task-group form; blank loss and metric mean "the kind's default". */
public class TaskForm {

    static final String NO_SAMPLE_SPACE = "NONE";
    static final String TASK_SAMPLE_SPACE = "TASK";
    static final String COLUMN_SAMPLE_SPACE = "COLUMN";

    private String name;
    private String kind = "BINARY";
    private String labelColumn;
    private String loss;
    private String metric;
    private String sampleSpaceType = NO_SAMPLE_SPACE;
    private String sampleSpaceName;
    private Double initialWeight = 1.0;
    private Double updateRatio = 1.0;

    static TaskForm from(TaskDefinition task) {
        TaskForm form = new TaskForm();
        form.name = task.name();
        form.kind = task.kind().name();
        form.labelColumn = task.labelColumn();
        form.loss = task.loss().name();
        form.metric = task.metric().name();
        SampleSpace space = task.sampleSpace();
        if (space != null) {
            form.sampleSpaceType = space.task() != null ? TASK_SAMPLE_SPACE : COLUMN_SAMPLE_SPACE;
            form.sampleSpaceName = space.task() != null ? space.task() : space.column();
        }
        form.initialWeight = task.initialWeight();
        form.updateRatio = task.updateRatio();
        return form;
    }

    TaskGroupRequest.TaskRequest toRequest() {
        return new TaskGroupRequest.TaskRequest(
                name, kind, labelColumn, loss, metric, sampleSpace(), initialWeight, updateRatio);
    }

    private SampleSpace sampleSpace() {
        if (TASK_SAMPLE_SPACE.equals(sampleSpaceType)) {
            return SampleSpace.ofTask(sampleSpaceName);
        }
        if (COLUMN_SAMPLE_SPACE.equals(sampleSpaceType)) {
            return SampleSpace.ofColumn(sampleSpaceName);
        }
        return null;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getLabelColumn() {
        return labelColumn;
    }

    public void setLabelColumn(String labelColumn) {
        this.labelColumn = labelColumn;
    }

    public String getLoss() {
        return loss;
    }

    public void setLoss(String loss) {
        this.loss = loss;
    }

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public String getSampleSpaceType() {
        return sampleSpaceType;
    }

    public void setSampleSpaceType(String sampleSpaceType) {
        this.sampleSpaceType = sampleSpaceType;
    }

    public String getSampleSpaceName() {
        return sampleSpaceName;
    }

    public void setSampleSpaceName(String sampleSpaceName) {
        this.sampleSpaceName = sampleSpaceName;
    }

    public Double getInitialWeight() {
        return initialWeight;
    }

    public void setInitialWeight(Double initialWeight) {
        this.initialWeight = initialWeight;
    }

    public Double getUpdateRatio() {
        return updateRatio;
    }

    public void setUpdateRatio(Double updateRatio) {
        this.updateRatio = updateRatio;
    }
}
