package io.fulcrum.dataset;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/dataset-imports", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Datasets")
class DatasetImportApiController {

    private final DatasetImports imports;

    DatasetImportApiController(DatasetImports imports) {
        this.imports = imports;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Start importing a dataset in the background",
            description = "Takes the body of POST /api/datasets; answers 400 at once for a bad request, else 202."
                    + " The job is stored in the database: if the server stops mid-import, a server re-runs it"
                    + " from the start once fulcrum.datasets.import-lease has passed")
    ResponseEntity<ImportJobView> start(@RequestBody DatasetRequest request) {
        ImportJobView job = imports.start(request);
        return ResponseEntity.accepted()
                .location(URI.create("/api/dataset-imports/" + job.id()))
                .body(job);
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "The state and progress of a background import",
            description = "Any server sharing the database answers; the newest 100 finished jobs are kept")
    ImportJobView get(@PathVariable String id) {
        return imports.get(id);
    }
}
