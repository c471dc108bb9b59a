package io.fulcrum.taskgroup;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One prediction target of a task group, with its loss, metric, sample space and loss weight. */
@Entity
@Table(name = "task")
class Task {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "task_group_id")
    private TaskGroup group;

    private int position;

    private String name;

    @Enumerated(EnumType.STRING)
    private TaskKind kind;

    private String labelColumn;

    @Enumerated(EnumType.STRING)
    private TaskLoss loss;

    @Enumerated(EnumType.STRING)
    private EvaluationMetric metric;

    private String sampleSpaceTask;

    private String sampleSpaceColumn;

    private double initialWeight;

    private double updateRatio;

    protected Task() {}

    Task(TaskGroup group, int position, TaskDefinition definition) {
        this.group = group;
        this.position = position;
        this.name = definition.name();
        this.kind = definition.kind();
        this.labelColumn = definition.labelColumn();
        this.loss = definition.loss();
        this.metric = definition.metric();
        if (definition.sampleSpace() != null) {
            this.sampleSpaceTask = definition.sampleSpace().task();
            this.sampleSpaceColumn = definition.sampleSpace().column();
        }
        this.initialWeight = definition.initialWeight();
        this.updateRatio = definition.updateRatio();
    }

    TaskDefinition toDefinition() {
        SampleSpace sampleSpace = sampleSpaceTask == null && sampleSpaceColumn == null
                ? null
                : new SampleSpace(sampleSpaceTask, sampleSpaceColumn);
        return new TaskDefinition(name, kind, labelColumn, loss, metric, sampleSpace, initialWeight, updateRatio);
    }
}
