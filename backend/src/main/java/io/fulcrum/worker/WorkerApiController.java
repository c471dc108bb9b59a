package io.fulcrum.worker;

import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/workers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Workers", description = "Worker nodes: capabilities, heartbeat, current runs, draining")
class WorkerApiController {

    private final WorkerRegistry workers;

    WorkerApiController(WorkerRegistry workers) {
        this.workers = workers;
    }

    @GetMapping
    @Operation(summary = "List workers (ACTIVE, DRAINING, LOST), newest first")
    PageResponse<WorkerView> list(
            @Parameter(description = "Also list workers that shut down") @RequestParam(defaultValue = "false")
                    boolean includeStopped,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return workers.list(includeStopped, page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one worker")
    WorkerView get(@PathVariable long id) {
        return workers.get(id);
    }

    @PostMapping("/{id}/drain")
    @Operation(summary = "Let a worker finish its runs and take no new ones", description = "409 when it is gone")
    WorkerView drain(@PathVariable long id) {
        return workers.drain(id);
    }
}
