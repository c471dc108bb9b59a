package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.MetricPoint;
import io.fulcrum.experiment.MetricSeries;
import io.fulcrum.experiment.MetricStore;
import io.fulcrum.experiment.RunManagement;
import io.fulcrum.experiment.RunRequest;
import io.fulcrum.experiment.RunState;
import io.fulcrum.experiment.RunView;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping(path = "/api/runs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Runs", description = "Training jobs, their queue state, metrics and live stream")
public class RunApiController {

    private final RunManagement runs;
    private final MetricStore metrics;
    private final RunStream stream;

    RunApiController(RunManagement runs, MetricStore metrics, RunStream stream) {
        this.runs = runs;
        this.metrics = metrics;
        this.stream = stream;
    }

    @GetMapping
    @Operation(summary = "List runs, newest first")
    public PageResponse<RunView> list(
            @Parameter(description = "Only runs in this state") @RequestParam(required = false) RunState state,
            @Parameter(description = "Only runs of this study") @RequestParam(required = false) Long studyId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return runs.list(state, studyId, page, size);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Queue a run",
            description = "Answers 400 with every broken rule when the run could not start: tasks that do not"
                    + " match the task group, columns missing from the dataset, bad sizes, an unknown schedule")
    public ResponseEntity<RunView> create(@RequestBody RunRequest request) {
        RunView run = runs.create(request);
        return ResponseEntity.created(URI.create("/api/runs/" + run.id())).body(run);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a run with its state, the reason in words, and its result once it succeeded")
    public RunView get(@PathVariable long id) {
        return runs.get(id);
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a queued or running run", description = "409 when it has already finished")
    public RunView cancel(@PathVariable long id) {
        return runs.cancel(id);
    }

    @PostMapping("/{id}/retry")
    @Operation(
            summary = "Queue a failed or cancelled run again from scratch",
            description = "Its metric history and checkpoints are dropped; 409 for other states")
    public RunView retry(@PathVariable long id) {
        return runs.retry(id);
    }

    @GetMapping("/{id}/metrics")
    @Operation(
            summary = "A run's metric series",
            description = "Filters by metric name, task and split; steps from..to; each series downsampled to"
                    + " at most maxPoints points (bucket mean with min and max)")
    public List<MetricSeries> metrics(
            @PathVariable long id,
            @Parameter(description = "e.g. loss, weight, auc, samples_per_second") @RequestParam(required = false)
                    String name,
            @Parameter(description = "A task name; empty for run-level metrics") @RequestParam(required = false)
                    String task,
            @Parameter(description = "train, validation or test") @RequestParam(required = false) String split,
            @RequestParam(defaultValue = "0") long from,
            @RequestParam(defaultValue = "" + Long.MAX_VALUE) long to,
            @Parameter(description = "1 to 10000") @RequestParam(defaultValue = "1000") int maxPoints) {
        runs.record(id);
        if (maxPoints < 1 || maxPoints > MetricStore.MAX_POINTS) {
            throw new InvalidInputException(
                    new FieldViolation("maxPoints", "range", "must be between 1 and " + MetricStore.MAX_POINTS));
        }
        if (from > to) {
            throw new InvalidInputException(new FieldViolation("from", "order", "must not be after to"));
        }
        if (split != null
                && !List.of(MetricPoint.TRAIN, MetricPoint.VALIDATION, MetricPoint.TEST)
                        .contains(split)) {
            throw new InvalidInputException(new FieldViolation("split", "one-of", "must be train, validation or test"));
        }
        return metrics.query(id, split, name, task, from, to, maxPoints);
    }

    @GetMapping(path = "/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Live feed of a run's new metric points (event 'metrics') and state changes (event 'state')",
            description = "Ends when the run has finished; 'after' resumes after a point's seq (the event id)")
    public SseEmitter stream(@PathVariable long id, @RequestParam(required = false) Long after) {
        runs.record(id);
        return stream.open(id, after);
    }
}
