package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.AbExperiments;
import io.fulcrum.rollout.AbResults;
import io.fulcrum.rollout.GuardrailStatus;
import io.fulcrum.rollout.RunningAbExperiment;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Watches every RUNNING experiment: a breached guardrail rolls it back at once with the breach as the
 * reason; otherwise, once the current ramp step has lasted its minimum duration, the next step
 * starts. Both changes go through {@link AbExperiments}, which audits them and ignores a change that
 * another node (or a person) made first, so several servers may run this check.
 */
@Component
@ConditionalOnProperty(name = "fulcrum.role", havingValue = "server", matchIfMissing = true)
public class RampSupervisor {

    /** The actor named in the audit history for the changes made here; kept from the class's earlier name, as entries and filters use it. */
    public static final String ACTOR = "ramp-controller";

    private static final Logger log = LoggerFactory.getLogger(RampSupervisor.class);

    private final AbExperiments experiments;
    private final AbResults results;
    private final Clock clock;

    RampSupervisor(AbExperiments experiments, AbResults results) {
        this.experiments = experiments;
        this.results = results;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(
            fixedDelayString = "${fulcrum.rollout.ramp-check-interval:30s}",
            initialDelayString = "${fulcrum.rollout.ramp-check-interval:30s}")
    public void scheduledCheck() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("ramp and guardrail check failed ({}); trying again later", e.getMessage());
        }
    }

    /** One pass over the running experiments; an experiment that fails is logged and the rest go on. */
    public void check() {
        for (RunningAbExperiment experiment : experiments.running()) {
            try {
                check(experiment);
            } catch (RuntimeException e) {
                log.warn("experiment {}: ramp and guardrail check failed: {}", experiment.id(), e.getMessage());
            }
        }
    }

    /** Checks one experiment now, if it is RUNNING. */
    public void check(long experimentId) {
        experiments.running().stream()
                .filter(e -> e.id() == experimentId)
                .findFirst()
                .ifPresent(this::check);
    }

    private void check(RunningAbExperiment experiment) {
        List<GuardrailStatus> breaches = experiment.guardrails().isEmpty()
                ? List.of()
                : results.compute(experiment.id()).breaches();
        if (!breaches.isEmpty()) {
            String reason = "guardrail breached: "
                    + breaches.stream().map(GuardrailStatus::explanation).collect(Collectors.joining("; "));
            log.warn("experiment {} rolled back: {}", experiment.id(), reason);
            experiments.rollBack(experiment.id(), ACTOR, truncate(reason));
            return;
        }
        Instant now = clock.instant();
        // a row written without the start's bookkeeping has no step start: it never advances by itself
        if (experiment.hasNextStep()
                && experiment.rampStepStartedAt() != null
                && !now.isBefore(experiment.currentStepEndsNoEarlierThan())) {
            int step = experiment.rampStep();
            String reason = String.format(
                    "step %d (%s %%) lasted its minimum duration %s and %s",
                    step + 1,
                    percent(experiment.rampPlan().get(step).percent()),
                    experiment.rampPlan().get(step).minimum(),
                    experiment.guardrails().isEmpty() ? "there are no guardrails" : "every guardrail holds");
            experiments.advanceRamp(experiment.id(), step, ACTOR, reason);
        }
    }

    private static String percent(Double p) {
        return p == null ? "?" : (p == Math.rint(p) ? String.valueOf(p.longValue()) : String.valueOf(p));
    }

    private static String truncate(String reason) {
        return reason.length() <= AbExperimentRules.MAX_REASON
                ? reason
                : reason.substring(0, AbExperimentRules.MAX_REASON - 1) + "…";
    }
}
