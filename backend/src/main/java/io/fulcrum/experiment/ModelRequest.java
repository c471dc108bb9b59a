package io.fulcrum.experiment;

import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.train.GradientBalancing;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The model part of a run or study as a user writes it: the architecture and whatever it changes
 * from the engine's defaults. Inputs come from the dataset and tasks from the task group.
 */
@Schema(description = "A model to train; fields not given take the engine's defaults (paper settings)")
public record ModelRequest(
        @Schema(
                description = "Name of the model in a study's comparison; the architecture by default",
                example = "ple-2")
        String name,

        @Schema(
                description = "single, shared-bottom, asymmetric, customized, cross-stitch, sluice, mmoe, "
                        + "ml-mmoe, cgc, ple, esmm, aitm, stem or adatt; esmm and aitm need a funnel (a task whose "
                        + "sample space is another task's positives; aitm: every task after the one before)",
                example = "ple")
        String architecture,

        @Schema(description = "If given, must list exactly the task group's tasks")
        List<String> tasks,

        ModelSpec.Experts experts,
        List<Integer> bottomUnits,
        List<Integer> towerUnits,

        @Schema(description = "Extraction levels of multi-level models", example = "2")
        Integer levels,

        Boolean gateBias,

        @Schema(description = "relu, gelu, tanh or leaky-relu")
        String activation,

        Double dropout,
        Integer sluiceSubspaces,

        @Schema(
                description = "HoME's expert normalisation and Swish experts (mmoe, cgc and ple only)",
                example = "false")
        Boolean expertNorm,

        @Schema(
                description = "aitm: weight α of the calibrator that keeps a later funnel step no likelier than the "
                        + "one before (default 0.6)",
                example = "0.6")
        Double calibratorWeight,

        @Schema(
                description = "Gradient balancing of the shared parameters: {\"method\": \"gradnorm\" | \"pcgrad\" |"
                        + " \"cagrad\" | \"none\"} with gradnorm's alpha (1.5) and learningRate (0.025) and"
                        + " cagrad's c (0.5); the run's training.balancing. Not for single, nor with the"
                        + " uncertainty schedule")
        GradientBalancing balancing) {

    public static ModelRequest of(String architecture) {
        return new ModelRequest(
                null, architecture, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The name a study's comparison shows. */
    public String displayName() {
        return name != null && !name.isBlank() ? name.strip() : architecture;
    }

    public ModelSpec toSpec(ModelSpec.Inputs inputs, List<ModelSpec.TaskSpec> taskSpecs) {
        return new ModelSpec(
                architecture,
                inputs,
                taskSpecs,
                experts,
                bottomUnits,
                towerUnits,
                levels,
                gateBias,
                activation,
                dropout,
                sluiceSubspaces,
                expertNorm,
                calibratorWeight);
    }
}
