package io.fulcrum.rollout;

import io.fulcrum.registry.AliasRequest;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.rollout.internal.AbExperimentRules;
import io.fulcrum.rollout.internal.AbExperimentStore;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.Actors;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A/B experiments of model versions on a surface: create and edit drafts, then start, ramp, stop,
 * promote or roll back. Every change is one transaction that locks the experiment's row first (so
 * two concurrent transitions run one after the other and the second sees the first's state),
 * records an audit row with the experiment before and after, and publishes {@link RolloutChanged}
 * when what serves the surface changes.
 */
@Service
public class AbExperiments {

    /** The registry keeps at most this much of an alias move's reason. */
    private static final int MAX_ALIAS_REASON = 500;

    static final String CHAMPION = "champion";

    private final AbExperimentStore store;
    private final AbExperimentRules rules;
    private final ModelRegistry registry;
    private final ApplicationEventPublisher events;
    private final AuditLog auditLog;
    private final TransactionTemplate readWrite;
    private final TransactionTemplate readOnly;
    private final Clock clock;

    AbExperiments(
            AbExperimentStore store,
            AbExperimentRules rules,
            ModelRegistry registry,
            ApplicationEventPublisher events,
            AuditLog auditLog,
            PlatformTransactionManager transactions) {
        this.store = store;
        this.rules = rules;
        this.registry = registry;
        this.events = events;
        this.auditLog = auditLog;
        this.readWrite = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = Clock.systemUTC();
    }

    /** Percent of each variant's allocation that serves at ramp step {@code step}: 100 with an empty plan. */
    public static double rampPercent(List<RampStep> plan, int step) {
        if (plan == null || plan.isEmpty()) {
            return 100;
        }
        Double percent = plan.get(Math.min(step, plan.size() - 1)).percent();
        return percent == null ? 100 : Math.max(0, Math.min(100, percent));
    }

    /** {@link #rampPercent(List, int)} of the {@code ramp_plan} column's JSON text. */
    public static double rampPercent(String rampPlanJson, int step) {
        return rampPercent(RampStep.listOf(rampPlanJson), step);
    }

    // ---- drafts ----

    /** Creates a DRAFT experiment. */
    public AbExperimentView create(AbExperimentRequest request, String actor) {
        String who = actor(actor);
        AbExperimentRules.Valid config = rules.check(request);
        return readWrite.execute(status -> {
            Instant now = clock.instant();
            long id = store.insert(config, who, now);
            AbExperimentView created = find(id);
            audit(id, "created", "create", who, now, null, AbExperimentSnapshot.of(created), null);
            return created;
        });
    }

    /** Replaces a DRAFT's whole configuration; 409 once it has started. */
    public AbExperimentView update(long id, AbExperimentRequest request, String actor) {
        String who = actor(actor);
        return readWrite.execute(status -> {
            AbExperimentView before = lock(id);
            if (before.state() != AbExperimentState.DRAFT) {
                throw new ConflictException("Experiment " + id + " is " + before.state()
                        + "; only a DRAFT can be edited. Allowed transitions: " + allowed(before.state()));
            }
            AbExperimentRules.Valid config = rules.check(request);
            Instant now = clock.instant();
            store.replace(id, config, now);
            AbExperimentView after = find(id);
            audit(
                    id,
                    "updated",
                    "update",
                    who,
                    now,
                    AbExperimentSnapshot.of(before),
                    AbExperimentSnapshot.of(after),
                    null);
            return after;
        });
    }

    /**
     * Deletes a DRAFT with its variants and its own history; 409 once it has started. The audit log
     * keeps the deletion with the draft as it was.
     */
    public void delete(long id) {
        String who = actor(null);
        readWrite.executeWithoutResult(status -> {
            AbExperimentView found = lock(id);
            if (found.state() != AbExperimentState.DRAFT) {
                throw new ConflictException("Experiment " + id + " is " + found.state()
                        + "; only a DRAFT can be deleted. Allowed transitions: " + allowed(found.state()));
            }
            store.delete(id);
            auditLog.recordAs(who, "ab-experiment.delete", target(id), null, AbExperimentSnapshot.of(found), null);
        });
    }

    // ---- reading ----

    public AbExperimentView get(long id) {
        return readOnly.execute(status -> find(id));
    }

    /**
     * Experiments, newest first, optionally of one surface (by name) and in one state.
     *
     * @param state a state name or null; anything else is a 400 naming {@code state}
     */
    public PageResponse<AbExperimentView> list(String surface, String state, int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.by(Sort.Direction.DESC, "id"));
        AbExperimentState wanted = parseState(state);
        String surfaceName = surface == null || surface.isBlank() ? null : surface.strip();
        return readOnly.execute(status -> PageResponse.of(
                store.page(surfaceName, wanted, request.getOffset(), request.getPageSize()),
                request,
                store.count(surfaceName, wanted)));
    }

    /** Every recorded change of the experiment, oldest first. */
    public List<AbAuditEntry> history(long id) {
        return readOnly.execute(status -> {
            find(id);
            return store.history(id);
        });
    }

    /** The names of the surfaces an experiment may run on, sorted. */
    public List<String> surfaceNames() {
        return readOnly.execute(status -> store.surfaceNames());
    }

    /** The RUNNING experiments, for the ramp and guardrail supervisor. */
    public List<RunningAbExperiment> running() {
        return readOnly.execute(status -> store.running());
    }

    // ---- transitions ----

    /**
     * DRAFT → RUNNING at ramp step 0. 409 when another experiment already runs on the surface: at most
     * one may, so that a user's assignment has one answer (a partial unique index makes it so even
     * when two starts race).
     */
    public AbExperimentView start(long id, String actor, String reason) {
        String who = actor(actor);
        String why = AbExperimentRules.reason(reason, false);
        return readWrite.execute(status -> {
            AbExperimentView before = lockFor(id, "start");
            store.runningOn(before.surfaceId(), id).ifPresent(other -> {
                throw alreadyRunning(before, other);
            });
            Instant now = clock.instant();
            AbExperimentStore.Lifecycle next = AbExperimentStore.Lifecycle.of(before)
                    .withState(AbExperimentState.RUNNING)
                    .withRamp(0, now)
                    .withStarted(now);
            try {
                store.update(id, next, now);
            } catch (DataIntegrityViolationException e) {
                // Another start on the surface committed while this one waited on the unique index.
                throw new ConflictException("Another experiment started RUNNING on surface '" + before.surface()
                        + "' at the same time; stop it before starting another there");
            }
            return changed(before, "started", "start", who, now, why);
        });
    }

    /** RUNNING → STOPPED: the variants stop serving and the champion serves everyone again. */
    public AbExperimentView stop(long id, String actor, String reason) {
        String who = actor(actor);
        String why = AbExperimentRules.reason(reason, false);
        return readWrite.execute(status -> {
            AbExperimentView before = lockFor(id, "stop");
            Instant now = clock.instant();
            store.update(
                    id,
                    AbExperimentStore.Lifecycle.of(before)
                            .withState(AbExperimentState.STOPPED)
                            .withStopped(now),
                    now);
            return changed(before, "stopped", "stop", who, now, why);
        });
    }

    /**
     * RUNNING or STOPPED → PROMOTED: the {@value #CHAMPION} alias of the surface's model moves to the
     * winner's version and the surface's default scoring becomes the winner's, in the same
     * transaction as the state change.
     */
    public AbExperimentView promote(long id, String variant, String actor, String reason) {
        String who = actor(actor);
        String why = AbExperimentRules.reason(reason, false);
        if (variant == null || variant.isBlank()) {
            throw new InvalidInputException(new FieldViolation("variant", "required", "name the winning variant"));
        }
        return readWrite.execute(status -> {
            AbExperimentView before = lockFor(id, "promote");
            AbVariant winner = before.variant(variant.strip());
            if (winner == null) {
                throw new InvalidInputException(new FieldViolation(
                        "variant",
                        "exists",
                        "experiment " + id + " has no variant '" + variant.strip() + "'; its variants are "
                                + before.variants().stream()
                                        .map(AbVariant::name)
                                        .toList()));
            }
            Instant now = clock.instant();
            registry.moveAlias(
                    before.modelName(),
                    CHAMPION,
                    new AliasRequest(winner.modelVersion(), aliasReason(before, winner, why)),
                    who);
            store.setSurfaceScoring(before.surfaceId(), winner.scoring());
            AbExperimentStore.Lifecycle next = AbExperimentStore.Lifecycle.of(before)
                    .withState(AbExperimentState.PROMOTED)
                    .withOutcome(winner.name(), why);
            store.update(id, before.stoppedAt() == null ? next.withStopped(now) : next, now);
            return changed(before, "promoted", "promote", who, now, why);
        });
    }

    /**
     * RUNNING or STOPPED → ROLLED_BACK, for a person or for the guardrail supervisor after a breach;
     * the reason is required and kept as the experiment's outcome reason.
     *
     * @throws ConflictException when the experiment is neither RUNNING nor STOPPED
     */
    public void rollBack(long id, String actor, String reason) {
        rollBackAndGet(id, actor, reason);
    }

    /** {@link #rollBack} returning the rolled-back experiment. */
    public AbExperimentView rollBackAndGet(long id, String actor, String reason) {
        String who = actor(actor);
        String why = AbExperimentRules.reason(reason, true);
        return readWrite.execute(status -> {
            AbExperimentView before = lockFor(id, "rollback");
            Instant now = clock.instant();
            AbExperimentStore.Lifecycle next = AbExperimentStore.Lifecycle.of(before)
                    .withState(AbExperimentState.ROLLED_BACK)
                    .withOutcome(null, why);
            store.update(id, before.stoppedAt() == null ? next.withStopped(now) : next, now);
            return changed(before, "rolled-back", "rollback", who, now, why);
        });
    }

    /**
     * A person moves a RUNNING experiment to its next ramp step now, whatever the minimum duration
     * and the guardrails say. 409 at the last step.
     */
    public AbExperimentView advance(long id, String actor, String reason) {
        String who = actor(actor);
        String why = AbExperimentRules.reason(reason, false);
        return readWrite.execute(status -> {
            AbExperimentView before = lockFor(id, "advance");
            if (!before.hasNextRampStep()) {
                throw new ConflictException("Experiment " + id + " is at the last step of its ramp plan ("
                        + fmtPercent(before.rampPercent()) + " %); it stays there until it is stopped, promoted or"
                        + " rolled back");
            }
            return moveRamp(before, who, why);
        });
    }

    /**
     * The ramp supervisor moves a RUNNING experiment from {@code expectedStep} to the next step. Does
     * nothing when the experiment is no longer RUNNING, is no longer at {@code expectedStep} (someone
     * moved it meanwhile) or has no next step, so a repeated or late call cannot skip a step.
     */
    public void advanceRamp(long id, int expectedStep, String actor, String reason) {
        String who = actor(actor);
        String why = AbExperimentRules.reason(reason, false);
        readWrite.executeWithoutResult(status -> {
            AbExperimentView before = lock(id);
            if (before.state() == AbExperimentState.RUNNING
                    && before.rampStep() == expectedStep
                    && before.hasNextRampStep()) {
                moveRamp(before, who, why);
            }
        });
    }

    private AbExperimentView moveRamp(AbExperimentView before, String who, String why) {
        Instant now = clock.instant();
        store.update(before.id(), AbExperimentStore.Lifecycle.of(before).withRamp(before.rampStep() + 1, now), now);
        return changed(before, "ramp-advanced", "advance", who, now, why);
    }

    // ---- helpers ----

    /** Reads the experiment after a transition, audits the change and tells the serving path. */
    private AbExperimentView changed(
            AbExperimentView before, String action, String verb, String who, Instant now, String why) {
        AbExperimentView after = find(before.id());
        audit(
                before.id(),
                action,
                verb,
                who,
                now,
                AbExperimentSnapshot.of(before),
                AbExperimentSnapshot.of(after),
                why);
        events.publishEvent(new RolloutChanged(before.surfaceId()));
        return after;
    }

    /**
     * Records a change twice, in the same transaction: in the experiment's own history ({@code
     * action}, shown with the experiment and deleted with a draft) and in the application's audit log
     * as {@code ab-experiment.<verb>}.
     */
    private void audit(
            long id,
            String action,
            String verb,
            String who,
            Instant now,
            AbExperimentSnapshot before,
            AbExperimentSnapshot after,
            String why) {
        store.audit(id, action, who, now, before, after, why);
        auditLog.recordAs(who, "ab-experiment." + verb, target(id), why, before, after);
    }

    private static String target(long id) {
        return "ab-experiment/" + id;
    }

    /** Locks the experiment and checks that {@code transition} is allowed from its state. */
    private AbExperimentView lockFor(long id, String transition) {
        AbExperimentView found = lock(id);
        if (!found.state().allows(transition)) {
            throw new ConflictException("Experiment " + id + " is " + found.state() + "; cannot " + transition
                    + " it. Allowed transitions: " + allowed(found.state()));
        }
        return found;
    }

    private AbExperimentView lock(long id) {
        return store.lock(id).orElseThrow(() -> new NotFoundException("A/B experiment", id));
    }

    private AbExperimentView find(long id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("A/B experiment", id));
    }

    private static String allowed(AbExperimentState state) {
        return state.transitions().isEmpty() ? "none (" + state + " is final)" : String.join(", ", state.transitions());
    }

    private static ConflictException alreadyRunning(AbExperimentView experiment, Map.Entry<Long, String> other) {
        return new ConflictException("Experiment '" + other.getValue() + "' (" + other.getKey()
                + ") is already RUNNING on surface '" + experiment.surface()
                + "'; stop it before starting another there");
    }

    private static String aliasReason(AbExperimentView experiment, AbVariant winner, String why) {
        String text = "A/B experiment '" + experiment.name() + "' (" + experiment.id() + ") promoted variant '"
                + winner.name() + "'" + (why == null ? "" : ": " + why);
        return text.length() <= MAX_ALIAS_REASON ? text : text.substring(0, MAX_ALIAS_REASON - 1) + "…";
    }

    private static String fmtPercent(double percent) {
        return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }

    private static AbExperimentState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return AbExperimentState.valueOf(state.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    new FieldViolation("state", "one-of", "must be one of " + List.of(AbExperimentState.values())));
        }
    }
    /** Who makes a change: the caller's name for background work, else the authenticated actor. */
    static String actor(String given) {
        return given == null || given.isBlank() ? Actors.current() : given;
    }
}
