package io.fulcrum.taskgroup.web;

import io.fulcrum.taskgroup.TaskGroupRequest;
import io.fulcrum.taskgroup.TaskGroupView;
import java.util.ArrayList;
import java.util.List;

/** What the create and edit pages bind to; converted to the same request the REST API takes. */
public class TaskGroupForm {

    private String name;
    private String description;
    private List<TaskForm> tasks = new ArrayList<>();

    static TaskGroupForm blank() {
        TaskGroupForm form = new TaskGroupForm();
        form.tasks.add(new TaskForm());
        form.tasks.add(new TaskForm());
        return form;
    }

    static TaskGroupForm from(TaskGroupView group) {
        TaskGroupForm form = new TaskGroupForm();
        form.name = group.name();
        form.description = group.description();
        form.tasks = new ArrayList<>(group.tasks().stream().map(TaskForm::from).toList());
        return form;
    }

    TaskGroupRequest toRequest() {
        return new TaskGroupRequest(
                name, description, tasks.stream().map(TaskForm::toRequest).toList());
    }

    void addTask() {
        tasks.add(new TaskForm());
    }

    void removeTask(int index) {
        if (index >= 0 && index < tasks.size()) {
            tasks.remove(index);
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public List<TaskForm> getTasks() {
        return tasks;
    }

    public void setTasks(List<TaskForm> tasks) {
        this.tasks = tasks;
    }
}
