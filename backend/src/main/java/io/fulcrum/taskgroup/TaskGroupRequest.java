package io.fulcrum.taskgroup;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A task group as a client sends it. Fields stay loosely typed (strings) so that every broken rule
 * can be reported against its field at once, rather than failing on the first unknown enum value.
 */
@Schema(description = "A task group to create, or to replace an existing one with")
public record TaskGroupRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 100, example = "VTR+VCR")
        String name,

        @Schema(maxLength = 2000) String description,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1)
        List<TaskRequest> tasks) {

    /** One task of the group as a client sends it; omitted loss, metric and weights get defaults. */
    @Schema(name = "TaskRequest")
    public record TaskRequest(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    pattern = "[A-Za-z][A-Za-z0-9_]*",
                    maxLength = 64,
                    example = "vtr")
            String name,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"BINARY", "REGRESSION"})
            String kind,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 128, example = "valid_view")
            String labelColumn,

            @Schema(
                    description = "BCE for binary, MSE for regression tasks (the default)",
                    allowableValues = {"BCE", "MSE"})
            String loss,

            @Schema(
                    description = "AUC or LOGLOSS for binary, MSE or MAE for regression tasks; default AUC / MSE",
                    allowableValues = {"AUC", "LOGLOSS", "MSE", "MAE"})
            String metric,

            SampleSpace sampleSpace,
            @Schema(description = "ω0 > 0, default 1") Double initialWeight,

            @Schema(description = "γ > 0, default 1 (constant weight)")
            Double updateRatio) {}
}
