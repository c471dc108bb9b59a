package io.fulcrum.dataset;

import io.fulcrum.system.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** An import running in the background, for progress bars and scripts that poll. */
@Schema(name = "DatasetImport")
public record ImportJobView(
        String id,
        String datasetName,

        @Schema(allowableValues = {"RUNNING", "SUCCEEDED", "FAILED"})
        String state,

        @Schema(description = "Bytes of the file read so far (compressed bytes for gzip)")
        long bytesRead,

        long totalBytes,

        @Schema(description = "bytesRead / totalBytes, 1 when done")
        double progress,

        @Schema(description = "Set when the import succeeded")
        Long datasetId,

        @Schema(description = "Why it failed, as in a 400 problem's errors")
        List<FieldViolation> errors,

        Instant startedAt,
        Instant finishedAt) {}
