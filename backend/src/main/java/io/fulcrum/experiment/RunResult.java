package io.fulcrum.experiment;

import io.fulcrum.mtl.metric.ExpertUtilization;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * What a SUCCEEDED run stores: test metrics per task, the gates' expert utilization on the test split,
 * the parameter count and how training went.
 */
@Schema(description = "The outcome of a successful run")
public record RunResult(
        Map<String, TaskResult> test,
        List<ExpertUtilization.GateUtilization> expertUtilization,
        long parameters,
        double trainSeconds,
        double samplesPerSecond,
        int epochsRun,
        int bestEpoch,
        String stop) {

    /**
     * One task's test metrics; {@code value} is the task group's metric, named in {@code metric}. For a
     * task that follows another (cvr after ctr), {@code jointAuc} and {@code jointSamples} score the
     * joint probability of the funnel up to it (pCTCVR) on the first step's space; null otherwise.
     */
    public record TaskResult(
            String metric,
            double value,
            boolean higherIsBetter,
            int samples,
            Double auc,
            Double logLoss,
            double mse,
            double mae,
            Double jointAuc,
            Integer jointSamples) {}
}
