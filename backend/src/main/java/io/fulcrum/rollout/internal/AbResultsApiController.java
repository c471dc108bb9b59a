package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.AbResults;
import io.fulcrum.rollout.ResultsView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/ab-experiments", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "A/B experiments")
public class AbResultsApiController {

    private final AbResults results;

    AbResultsApiController(AbResults results) {
        this.results = results;
    }

    @GetMapping("/{id}/results")
    @Operation(
            summary = "An experiment's results: per-variant metrics, lift vs control, SRM check, guardrails",
            description = "Computed from the attributed events at the time of the request. Per-user metrics are"
                    + " compared by Welch's t-test, rates by a z-test with delta-method variances on per-user sums;"
                    + " lifts are relative (0.05 = +5 %) with 95 % delta-method intervals. Answers 404 for an"
                    + " unknown experiment and 409 for a DRAFT (not started).")
    public ResultsView results(@PathVariable long id) {
        return results.compute(id);
    }
}
