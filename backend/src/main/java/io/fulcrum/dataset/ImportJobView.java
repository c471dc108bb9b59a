package io.fulcrum.dataset;

import io.fulcrum.system.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * An import running in the background, for progress bars and scripts that poll. Stored in the database,
 * so any server answers for it and it survives a restart (see {@link DatasetImports}).
 */
@Schema(name = "DatasetImport")
public record ImportJobView(
        String id,
        String datasetName,

        @Schema(
                allowableValues = {"RUNNING", "SUCCEEDED", "FAILED"},
                description = "RUNNING until it finishes: also while it waits for an earlier import, and while"
                        + " it runs again from the start after a server restart interrupted it")
        String state,

        @Schema(description = "Bytes of the file read so far (compressed bytes for gzip)")
        long bytesRead,

        long totalBytes,

        @Schema(description = "bytesRead / totalBytes, 1 when done; saved at most once a second, so up to a second old")
        double progress,

        @Schema(description = "Set when the import succeeded")
        Long datasetId,

        @Schema(description = "Why it failed, as in a 400 problem's errors")
        List<FieldViolation> errors,

        @Schema(description = "When the import was asked for")
        Instant startedAt,

        Instant finishedAt) {}
