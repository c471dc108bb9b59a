package io.fulcrum.taskgroup;

import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/task-groups", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "Task groups",
        description = "Which tasks are learned together, with their labels, losses and sample spaces")
class TaskGroupApiController {

    private final TaskGroupManagement taskGroups;

    TaskGroupApiController(TaskGroupManagement taskGroups) {
        this.taskGroups = taskGroups;
    }

    @GetMapping
    @Operation(summary = "List task groups, sorted by name")
    PageResponse<TaskGroupView> list(
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return taskGroups.list(page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one task group")
    TaskGroupView get(@PathVariable long id) {
        return taskGroups.get(id);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a task group",
            description = "Answers 400 with every broken rule, 409 when the name is taken")
    ResponseEntity<TaskGroupView> create(@RequestBody TaskGroupRequest request) {
        TaskGroupView created = taskGroups.create(request);
        return ResponseEntity.created(URI.create("/api/task-groups/" + created.id()))
                .body(created);
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace a task group, its tasks included")
    TaskGroupView replace(@PathVariable long id, @RequestBody TaskGroupRequest request) {
        return taskGroups.replace(id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a task group", description = "Answers 409 while anything still references the group")
    void delete(@PathVariable long id) {
        taskGroups.delete(id);
    }
}
