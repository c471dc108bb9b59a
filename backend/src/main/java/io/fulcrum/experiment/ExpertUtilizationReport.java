package io.fulcrum.experiment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Paper Fig. 8 for a study: per model and gate, each expert's mean gate weight on the test split,
 * averaged over the model's successful runs, and the standard deviation of that weight over samples
 * (also averaged over runs). Gate-less architectures have no gates.
 */
@Schema(name = "StudyExpertUtilization")
public record ExpertUtilizationReport(long studyId, List<ModelGates> models) {

    public record ModelGates(String model, String architecture, int runs, List<Gate> gates) {}

    /** Expert names say their owner: shared experts and each task's own. */
    public record Gate(String gate, List<String> experts, double[] mean, double[] std) {}
}
