package io.fulcrum.taskgroup;

import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The task-group module's façade: every create, change and delete goes through here, whole or not at all. */
@Service
public class TaskGroupManagement {

    private static final Pattern REFERENCING_TABLE = Pattern.compile("from table \"([^\"]+)\"");

    private final TaskGroupRepository repository;
    private final AuditLog audit;
    private final Clock clock;

    TaskGroupManagement(TaskGroupRepository repository, AuditLog audit) {
        this.repository = repository;
        this.audit = audit;
        this.clock = Clock.systemUTC();
    }

    @Transactional(readOnly = true)
    public PageResponse<TaskGroupView> list(int page, int size) {
        return PageResponse.of(
                repository.findAll(PageRequests.of(page, size, Sort.by("name").and(Sort.by("id")))), TaskGroup::toView);
    }

    @Transactional(readOnly = true)
    public TaskGroupView get(long id) {
        return find(id).toView();
    }

    /** Checks a request without storing anything; throws with every broken rule. */
    public void validate(TaskGroupRequest request) {
        TaskGroupRequestValidator.validate(request);
    }

    @Transactional
    public TaskGroupView create(TaskGroupRequest request) {
        TaskGroupDefinition definition = TaskGroupRequestValidator.validate(request);
        if (repository.existsByNameIgnoreCase(definition.name())) {
            throw nameTaken(definition.name());
        }
        TaskGroupView created = saveAndFlush(TaskGroup.create(definition, clock.instant()), definition.name())
                .toView();
        audit.record("task-group.create", target(created.id()), null, null, created);
        return created;
    }

    @Transactional
    public TaskGroupView replace(long id, TaskGroupRequest request) {
        TaskGroup group = find(id);
        TaskGroupView before = group.toView();
        TaskGroupDefinition definition = TaskGroupRequestValidator.validate(request);
        if (repository.existsByNameIgnoreCaseAndIdNot(definition.name(), id)) {
            throw nameTaken(definition.name());
        }
        group.replaceWith(definition, clock.instant());
        TaskGroupView after = saveAndFlush(group, definition.name()).toView();
        audit.record("task-group.update", target(id), null, before, after);
        return after;
    }

    @Transactional
    public void delete(long id) {
        TaskGroup group = find(id);
        TaskGroupView before = group.toView();
        try {
            repository.delete(group);
            repository.flush();
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("Task group '" + group.getName() + "' is still used by " + referencingTable(e)
                    + " and cannot be deleted");
        }
        audit.record("task-group.delete", target(id), before.name(), before, null);
    }

    private static String target(long id) {
        return "task-group/" + id;
    }

    /** Flushes now so that a name taken by a concurrent request is reported here as a conflict. */
    private TaskGroup saveAndFlush(TaskGroup group, String name) {
        try {
            return repository.saveAndFlush(group);
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(name);
        }
    }

    private TaskGroup find(long id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("Task group", id));
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A task group named '" + name + "' already exists",
                List.of(new FieldViolation("name", "unique", "is already the name of another task group")));
    }

    private static String referencingTable(DataIntegrityViolationException e) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        Matcher matcher = REFERENCING_TABLE.matcher(message);
        return matcher.find() ? "'" + matcher.group(1) + "'" : "other records";
    }
}
