package io.fulcrum.rollout;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What an experiment looked like just before or after a change, as the audit keeps it. */
@Schema(description = "An experiment's configuration and state at one moment")
public record AbExperimentSnapshot(
        String name,
        String description,
        String surface,
        AbExperimentState state,
        String salt,
        String targetMetric,
        List<Guardrail> guardrails,
        List<RampStep> rampPlan,
        int rampStep,
        double rampPercent,
        List<AbVariant> variants,
        String winner,
        String outcomeReason,
        String analysis,
        String correction,
        String preExposure,
        Long plannedUsersPerVariant) {

    static AbExperimentSnapshot of(AbExperimentView e) {
        return new AbExperimentSnapshot(
                e.name(),
                e.description(),
                e.surface(),
                e.state(),
                e.salt(),
                e.targetMetric(),
                e.guardrails(),
                e.rampPlan(),
                e.rampStep(),
                e.rampPercent(),
                e.variants(),
                e.winner(),
                e.outcomeReason(),
                e.analysis(),
                e.correction(),
                e.preExposure(),
                e.plannedUsersPerVariant());
    }
}
