package io.fulcrum.taskgroup;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.BatchSize;

/** The tasks one multi-task model learns jointly; the aggregate root owning its tasks. */
@Entity
@Table(name = "task_group")
class TaskGroup {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String description;

    @Version
    private long version;

    private Instant createdAt;

    private Instant updatedAt;

    @OneToMany(mappedBy = "group", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    @BatchSize(size = 64)
    private List<Task> tasks = new ArrayList<>();

    protected TaskGroup() {}

    static TaskGroup create(TaskGroupDefinition definition, Instant now) {
        TaskGroup group = new TaskGroup();
        group.createdAt = now;
        group.replaceWith(definition, now);
        return group;
    }

    /** Replaces name, description and all tasks; the deferred unique key lets task names be reused. */
    void replaceWith(TaskGroupDefinition definition, Instant now) {
        name = definition.name();
        description = definition.description();
        updatedAt = now;
        tasks.clear();
        for (int i = 0; i < definition.tasks().size(); i++) {
            tasks.add(new Task(this, i, definition.tasks().get(i)));
        }
    }

    TaskGroupView toView() {
        return new TaskGroupView(
                id, name, description, tasks.stream().map(Task::toDefinition).toList(), version, createdAt, updatedAt);
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }
}
