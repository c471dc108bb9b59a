package io.fulcrum.dataset;

import io.fulcrum.dataset.io.DatasetProfile;
import io.fulcrum.dataset.io.FilePreview;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping(path = "/api/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Datasets", description = "Imported files with their schema, splits, preprocessing and profile")
class DatasetApiController {

    private static final int MAX_PREVIEW_ROWS = 1000;

    private final DatasetManagement datasets;

    DatasetApiController(DatasetManagement datasets) {
        this.datasets = datasets;
    }

    @GetMapping
    @Operation(summary = "List datasets, sorted by name")
    PageResponse<DatasetView> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return datasets.list(page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one dataset")
    DatasetView get(@PathVariable long id) {
        return datasets.get(id);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Register a dataset",
            description = "Imports a FILE dataset in full before answering; 400 lists every broken rule or the"
                    + " bad lines with their numbers, and nothing is kept")
    ResponseEntity<DatasetView> create(@RequestBody DatasetRequest request) {
        DatasetView created = datasets.create(request);
        return ResponseEntity.created(URI.create("/api/datasets/" + created.id()))
                .body(created);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a dataset and its cache", description = "409 while anything still uses it")
    void delete(@PathVariable long id) {
        datasets.delete(id);
    }

    @GetMapping("/{id}/profile")
    @Operation(summary = "Rows, column statistics, label rates and label correlations")
    DatasetProfile profile(@PathVariable long id) {
        return datasets.profile(id);
    }

    @GetMapping("/{id}/preview")
    @Operation(summary = "The first rows as stored, with their split")
    DatasetRows preview(@PathVariable long id, @RequestParam(defaultValue = "20") int rows) {
        return datasets.rows(id, checkedRows(rows));
    }

    @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Preview a file before importing it: its first rows and the inferred schema")
    FilePreview previewFile(
            @RequestBody DatasetRequest.FileSource file,
            @RequestParam(defaultValue = "" + FilePreview.DEFAULT_ROWS) int rows) {
        return datasets.preview(file, checkedRows(rows));
    }

    @PostMapping(path = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Upload a file, streamed to the data directory; import it by its uploadId")
    DatasetUpload upload(@RequestPart("file") MultipartFile file) {
        try (InputStream content = file.getInputStream()) {
            return datasets.upload(content, file.getOriginalFilename());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int checkedRows(int rows) {
        if (rows < 1 || rows > MAX_PREVIEW_ROWS) {
            throw new InvalidInputException(
                    new FieldViolation("rows", "range", "must be between 1 and " + MAX_PREVIEW_ROWS));
        }
        return rows;
    }
}
