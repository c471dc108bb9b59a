package io.fulcrum.dataset;

import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.ImportProblem;
import io.fulcrum.dataset.io.SplitSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A registered dataset as the API shows it; the profile has its own endpoint. */
@Schema(name = "Dataset")
public record DatasetView(
        long id,
        String name,
        DatasetKind kind,

        @Schema(description = "File settings, or a generator's spec and seed")
        Map<String, Object> source,

        List<ColumnSchema> columns,
        SplitSpec split,
        long rows,
        long trainRows,
        long validationRows,
        long testRows,

        @Schema(description = "Lines left out under the SKIP policy")
        long skippedLines,

        @Schema(description = "The first 100 skipped lines with their problem")
        List<ImportProblem> importProblems,

        Instant createdAt) {}
