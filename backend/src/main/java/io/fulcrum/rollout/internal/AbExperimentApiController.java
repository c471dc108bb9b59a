package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.AbAuditEntry;
import io.fulcrum.rollout.AbExperimentRequest;
import io.fulcrum.rollout.AbExperimentView;
import io.fulcrum.rollout.AbExperiments;
import io.fulcrum.rollout.PowerPlanRequest;
import io.fulcrum.rollout.PowerPlanView;
import io.fulcrum.rollout.PowerPlans;
import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
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
@RequestMapping(path = "/api/ab-experiments", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "A/B experiments",
        description = "Experiments of model versions on a surface: drafts, start, ramp, stop, promote, roll back,"
                + " and the audit of every change")
public class AbExperimentApiController {

    private static final String CONFLICT = " Answers 409 naming the current state and the allowed transitions when"
            + " the experiment's state does not allow it.";

    private final AbExperiments experiments;
    private final PowerPlans powerPlans;

    AbExperimentApiController(AbExperiments experiments, PowerPlans powerPlans) {
        this.experiments = experiments;
        this.powerPlans = powerPlans;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a DRAFT experiment",
            description = "Answers 400 with every broken rule, each naming its field (variants[1].allocationBps) and"
                    + " rule; nothing is stored then.")
    public ResponseEntity<AbExperimentView> create(@RequestBody AbExperimentRequest request) {
        AbExperimentView created = experiments.create(request, null);
        return ResponseEntity.created(URI.create("/api/ab-experiments/" + created.id()))
                .body(created);
    }

    @GetMapping
    @Operation(summary = "List experiments, newest first, optionally of one surface and in one state")
    public PageResponse<AbExperimentView> list(
            @Parameter(description = "A surface name") @RequestParam(required = false) String surface,
            @Parameter(description = "DRAFT, RUNNING, STOPPED, PROMOTED or ROLLED_BACK") @RequestParam(required = false)
                    String state,
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return experiments.list(surface, state, page, size);
    }

    @PostMapping(path = "/power", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Plan an experiment's size from the surface's recent events",
            description = "Per primary metric: the minimum detectable effect for the duration and traffic share, fixed"
                    + " and sequential, and with targetLift the users per variant and days it needs. 400 names the"
                    + " field and rule, e.g. surface has-events for a surface without recent events.")
    public PowerPlanView power(@RequestBody PowerPlanRequest request) {
        return powerPlans.plan(request);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get an experiment: configuration, variants, state, ramp position, outcome")
    public AbExperimentView get(@PathVariable long id) {
        return experiments.get(id);
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Replace a DRAFT's configuration",
            description = "Takes the same body and rules as creating one; answers 409 once the experiment has started.")
    public AbExperimentView update(@PathVariable long id, @RequestBody AbExperimentRequest request) {
        return experiments.update(id, request, null);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Delete a DRAFT with its variants and history",
            description = "Answers 409 once the experiment has started: its history must stay.")
    public void delete(@PathVariable long id) {
        experiments.delete(id);
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "Every change of the experiment, oldest first: action, who, when, why, before and after")
    public List<AbAuditEntry> history(@PathVariable long id) {
        return experiments.history(id);
    }

    @PostMapping("/{id}/start")
    @Operation(
            summary = "DRAFT → RUNNING at the first ramp step",
            description = "Answers 409 when another experiment is RUNNING on the surface." + CONFLICT)
    public AbExperimentView start(@PathVariable long id, @RequestBody(required = false) TransitionRequest request) {
        return experiments.start(id, null, reason(request));
    }

    @PostMapping("/{id}/stop")
    @Operation(summary = "RUNNING → STOPPED: the champion serves everyone again", description = CONFLICT)
    public AbExperimentView stop(@PathVariable long id, @RequestBody(required = false) TransitionRequest request) {
        return experiments.stop(id, null, reason(request));
    }

    @PostMapping(path = "/{id}/promote", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "RUNNING or STOPPED → PROMOTED",
            description = "The surface model's champion alias moves to the winner's version and the surface's default"
                    + " scoring becomes the winner's, in one transaction. Answers 400 naming variant when the"
                    + " experiment has no such variant." + CONFLICT)
    public AbExperimentView promote(@PathVariable long id, @RequestBody PromoteRequest request) {
        return experiments.promote(
                id, request == null ? null : request.variant(), null, request == null ? null : request.reason());
    }

    @PostMapping("/{id}/rollback")
    @Operation(
            summary = "RUNNING or STOPPED → ROLLED_BACK; the reason is required",
            description = "Answers 400 naming reason without one." + CONFLICT)
    public AbExperimentView rollback(@PathVariable long id, @RequestBody(required = false) TransitionRequest request) {
        return experiments.rollBackAndGet(id, null, reason(request));
    }

    @PostMapping("/{id}/advance")
    @Operation(
            summary = "Move a RUNNING experiment to its next ramp step now (a manual override, audited)",
            description =
                    "Ignores the step's minimum duration and the guardrails. Answers 409 at the last step." + CONFLICT)
    public AbExperimentView advance(@PathVariable long id, @RequestBody(required = false) TransitionRequest request) {
        return experiments.advance(id, null, reason(request));
    }

    private static String reason(TransitionRequest request) {
        return request == null ? null : request.reason();
    }
}
