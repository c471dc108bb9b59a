package io.fulcrum.schedule;

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
@RequestMapping(path = "/api/loss-weight-schedules", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "Loss-weight schedules",
        description = "Named, versioned ω_k(t) specs (constant, exponential, warmup, piecewise, DWA, uncertainty)")
class LossWeightScheduleApiController {

    private final LossWeightSchedules schedules;

    LossWeightScheduleApiController(LossWeightSchedules schedules) {
        this.schedules = schedules;
    }

    @GetMapping
    @Operation(summary = "List loss-weight schedules, sorted by name")
    PageResponse<ScheduleSummary> list(
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return schedules.list(page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a schedule: its latest spec and the list of its versions")
    ScheduleView get(@PathVariable long id) {
        return schedules.get(id);
    }

    @GetMapping("/{id}/versions/{version}")
    @Operation(summary = "Get one version of a schedule, as a run that used it saw it")
    ScheduleVersionView version(@PathVariable long id, @PathVariable int version) {
        return schedules.version(id, version);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a schedule (version 1)",
            description = "Answers 400 with every broken rule, 409 when the name is taken")
    ResponseEntity<ScheduleView> create(@RequestBody ScheduleRequest request) {
        ScheduleView created = schedules.create(request);
        return ResponseEntity.created(URI.create("/api/loss-weight-schedules/" + created.id()))
                .body(created);
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Edit a schedule",
            description = "Name and description change in place; a spec that differs from the latest version's"
                    + " becomes a new version, and the old versions stay readable")
    ScheduleView replace(@PathVariable long id, @RequestBody ScheduleRequest request) {
        return schedules.replace(id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Delete a schedule and all its versions",
            description = "Answers 409 while a run or anything else references it")
    void delete(@PathVariable long id) {
        schedules.delete(id);
    }

    @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "The weight curve of a spec that is not saved yet",
            description = "Same answer as the preview of a stored schedule, with scheduleId and version null; 400"
                    + " with every broken rule of the spec (spec.gamma[1], …) and of tasks, epochs and stepsPerEpoch")
    SchedulePreview previewDraft(@RequestBody PreviewRequest request) {
        return schedules.preview(request);
    }

    @GetMapping("/{id}/preview")
    @Operation(
            summary = "The weight curve ω_k(t) per task",
            description = "One point per epoch, or per step for schedules counted in steps (epochs × stepsPerEpoch"
                    + " points, at most 10,000). DWA and uncertainty weights depend on training: the preview"
                    + " shows the weights they start with and says so in note. 400 naming tasks when a per-task"
                    + " array of the spec has another length.")
    SchedulePreview preview(
            @PathVariable long id,
            @Parameter(description = "A task count (2) or comma-separated task names (ctr,cvr)", example = "ctr,cvr")
                    @RequestParam(required = false)
                    String tasks,
            @Parameter(description = "Epochs to show, 1 to 1000; default 10") @RequestParam(required = false)
                    Integer epochs,
            @Parameter(description = "Steps per epoch for step-unit schedules, 1 to 100000; default 100")
                    @RequestParam(required = false)
                    Integer stepsPerEpoch,
            @Parameter(description = "The version to preview; default the latest") @RequestParam(required = false)
                    Integer version) {
        return schedules.preview(id, version, tasks, epochs, stepsPerEpoch);
    }
}
