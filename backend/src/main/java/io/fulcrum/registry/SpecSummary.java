package io.fulcrum.registry;

import io.fulcrum.mtl.model.ModelSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A model spec at a glance: architecture, tasks, inputs and size. */
@Schema(description = "A version's model spec at a glance")
public record SpecSummary(
        @Schema(example = "ple") String architecture,
        @Schema(description = "Task names in output order") List<String> tasks,
        @Schema(description = "Dense input columns") int denseInputs,

        @Schema(description = "Categorical input columns, each with its embedding")
        int categoricalInputs,

        @Schema(description = "Trainable parameters") long parameters) {

    static SpecSummary of(ModelSpec spec, long parameters) {
        return new SpecSummary(
                spec.architecture(),
                spec.tasks().stream().map(ModelSpec.TaskSpec::name).toList(),
                spec.inputs().dense().size(),
                spec.inputs().categorical().size(),
                parameters);
    }
}
