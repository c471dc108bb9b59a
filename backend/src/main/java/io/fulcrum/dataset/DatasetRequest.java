package io.fulcrum.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A dataset to register, as a client sends it. Fields stay loosely typed so that every broken rule
 * is reported against its field in one response.
 */
@Schema(description = "A dataset to register. FILE datasets import a delimited file once into a columnar cache.")
public record DatasetRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 100, example = "census")
        String name,

        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                allowableValues = {"FILE", "SYNTHETIC", "VIDEO_SIMULATOR"})
        String kind,

        @Schema(description = "Where the file is; required for FILE")
        FileSource file,

        @Schema(description = "The role of every column in file order; omitted: the preset's, or inferred")
        List<ColumnRequest> columns,

        @Schema(description = "Default: random, seed 42, 70/15/15")
        SplitRequest split,

        @Schema(description = "Default: REJECT") BadRowsRequest badRows,

        @Schema(
                description = "For SYNTHETIC: {correlation, samples, dimension, seed, scale, sinTerms, noiseStd};"
                        + " for VIDEO_SIMULATOR: {impressions, worldSeed, streamSeed, world}; see docs/api.md")
        java.util.Map<String, Object> spec) {

    /** Exactly one of path (readable by the server) and uploadId (from POST /api/datasets/uploads). */
    public record FileSource(
            @Schema(example = "/data/census-income.test.gz") String path,
            String uploadId,

            @Schema(description = "One character, or \"\\t\"; default ','")
            String delimiter,

            @Schema(description = "Whether the first line names the columns; default true")
            Boolean header,

            @Schema(allowableValues = {"census-income", "ali-ccp", "aliexpress"})
            String preset) {}

    public record ColumnRequest(
            String name,

            @Schema(allowableValues = {"LABEL", "DENSE", "CATEGORICAL", "WEIGHT", "IGNORED"})
            String role,

            @Schema(description = "For a label held as text: the values that mean 1")
            List<String> positiveValues) {}

    public record SplitRequest(
            @Schema(allowableValues = {"random", "column"}) String by,
            Long seed,
            Double train,
            Double validation,
            Double test,

            @Schema(description = "For by=column: the column whose value decides")
            String column,

            List<String> trainValues,
            List<String> validationValues,
            List<String> testValues) {}

    public record BadRowsRequest(
            @Schema(allowableValues = {"REJECT", "SKIP"}) String policy,

            @Schema(description = "With SKIP: the most lines that may be skipped before the import fails")
            Long maxSkipped) {}
}
