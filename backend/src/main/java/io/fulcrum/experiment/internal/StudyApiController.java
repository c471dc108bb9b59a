package io.fulcrum.experiment.internal;

import io.fulcrum.experiment.Comparison;
import io.fulcrum.experiment.ExpertUtilizationReport;
import io.fulcrum.experiment.StudyComparisons;
import io.fulcrum.experiment.StudyManagement;
import io.fulcrum.experiment.StudyRequest;
import io.fulcrum.experiment.StudyView;
import io.fulcrum.mtl.metric.Tolerance;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/studies", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Studies", description = "Comparisons of models against single-task baselines over seeds")
public class StudyApiController {

    private final StudyManagement studies;
    private final StudyComparisons comparisons;

    StudyApiController(StudyManagement studies, StudyComparisons comparisons) {
        this.studies = studies;
        this.comparisons = comparisons;
    }

    @GetMapping
    @Operation(summary = "List studies, newest first")
    public PageResponse<StudyView> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return studies.list(page, size);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a study and queue its runs",
            description = "One run per model, seed (and schedule), plus a single-task baseline per seed unless an"
                    + " identical finished one exists; 400 with every broken rule, 409 when the name is taken")
    public ResponseEntity<StudyView> create(@RequestBody StudyRequest request) {
        StudyView study = studies.create(request);
        return ResponseEntity.created(URI.create("/api/studies/" + study.id())).body(study);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a study with its runs")
    public StudyView get(@PathVariable long id) {
        return studies.get(id);
    }

    @GetMapping("/{id}/comparison")
    @Operation(
            summary = "Per model: test metric per task (mean ± std over seeds), MTL gain paired per seed with its 95%"
                    + " interval and call, verdict, parameters, time",
            description = "400 naming the field tolerance when the tolerance is unreadable (rule format), names an"
                    + " unknown metric (one-of) or is negative (range)")
    public Comparison comparison(
            @PathVariable long id,
            @Parameter(
                            description = "How far a gain's interval must clear zero to count as better or worse:"
                                    + " one value for every metric or metric=value pairs (auc, logloss, mse, mae),"
                                    + " absolute or p% of the baseline's mean; metrics left out get 0",
                            example = "auc=0.001,mse=1%")
                    @RequestParam(defaultValue = "0")
                    String tolerance) {
        Tolerance parsed;
        try {
            parsed = Tolerance.parse(tolerance);
        } catch (Tolerance.InvalidTolerance e) {
            throw new InvalidInputException(new FieldViolation("tolerance", e.rule(), e.getMessage()));
        }
        return comparisons.comparison(id, parsed);
    }

    @GetMapping("/{id}/expert-utilization")
    @Operation(summary = "Per model and gate: each expert's mean gate weight and its spread (paper Fig. 8)")
    public ExpertUtilizationReport expertUtilization(@PathVariable long id) {
        return comparisons.expertUtilization(id);
    }
}
