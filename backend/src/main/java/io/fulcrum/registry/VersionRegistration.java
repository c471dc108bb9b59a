package io.fulcrum.registry;

import io.fulcrum.artifact.ArtifactRef;
import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.experiment.RunManagement;
import io.fulcrum.experiment.RunRecord;
import io.fulcrum.experiment.RunState;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers a run as a model's next version, whole or not at all: in one transaction holding the
 * model's row lock, the run's model artifact is copied to the version's key and the version row
 * inserted; when anything after the copy fails, the copy is deleted before the lock is released, so
 * neither a row nor an artifact is left and no later registration of the same number is touched.
 */
@Component
class VersionRegistration {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final RunManagement runs;
    private final ArtifactStore artifacts;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final Clock clock;

    VersionRegistration(
            RegisteredModelRepository models,
            ModelVersionRepository versions,
            RunManagement runs,
            ArtifactStore artifacts,
            ApplicationEventPublisher events,
            AuditLog audit) {
        this.models = models;
        this.versions = versions;
        this.runs = runs;
        this.artifacts = artifacts;
        this.events = events;
        this.audit = audit;
        this.clock = Clock.systemUTC();
    }

    @Transactional
    ModelVersionView register(String modelName, VersionRequest request, String actor) {
        String who = RegistryRules.actor(actor);
        List<FieldViolation> violations = new ArrayList<>();
        String name = RegistryRules.name(modelName, violations);
        String description = RegistryRules.description(request.description(), violations);
        RunRecord run = registrable(request.runId(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        Instant now = clock.instant();
        boolean modelCreated = models.insertIfAbsent(name, now) > 0;
        RegisteredModel model = models.findForUpdate(name).orElseThrow();
        versions.findByRun(model.getId(), run.id()).ifPresent(existing -> {
            throw new ConflictException(
                    "Run " + run.id() + " is already version " + existing.getNumber() + " of model '" + model.getName()
                            + "'",
                    List.of(new FieldViolation("runId", "unique", "is already a version of this model")));
        });
        int number = versions.latestNumber(model.getId()) + 1;
        String key = ModelRegistry.artifactKey(model.getId(), number);
        ArtifactRef copy = copy(run.modelKey(), key);
        try {
            ModelVersion stored =
                    versions.saveAndFlush(ModelVersion.of(model.getId(), number, run, copy, description, now, who));
            events.publishEvent(new ModelVersionRegistered(model.getName(), number, run.id()));
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("version", number);
            after.put("runId", run.id());
            after.put("description", description);
            after.put("modelCreated", modelCreated);
            audit.recordAs(who, "model.version-register", "model/" + model.getName(), null, null, after);
            return stored.toView(model.getName(), List.of());
        } catch (RuntimeException e) {
            deleteQuietly(key, e);
            throw e;
        }
    }

    /** The run, when it can be registered; otherwise adds why not to {@code violations}. */
    private RunRecord registrable(Long runId, List<FieldViolation> violations) {
        if (runId == null) {
            violations.add(new FieldViolation("runId", "required", "must be given"));
            return null;
        }
        RunRecord run;
        try {
            run = runs.record(runId);
        } catch (NotFoundException e) {
            violations.add(new FieldViolation("runId", "exists", "run " + runId + " does not exist"));
            return null;
        }
        if (run.state() != RunState.SUCCEEDED || run.result() == null) {
            violations.add(new FieldViolation(
                    "runId",
                    "succeeded",
                    "run " + runId + " is " + run.state() + "; only SUCCEEDED runs can be registered"));
        } else if (run.modelKey() == null || artifacts.find(run.modelKey()).isEmpty()) {
            violations.add(new FieldViolation("runId", "has-model", "run " + runId + " has no model artifact"));
        }
        return run;
    }

    /** Streams the run's model artifact to the registry's key and checks that the copy has the same digest. */
    private ArtifactRef copy(String from, String to) {
        ArtifactRef source = artifacts.find(from).orElseThrow(() -> new NotFoundException("Artifact", from));
        ArtifactRef copy;
        try (InputStream in = artifacts.open(from)) {
            copy = artifacts.put(to, in);
        } catch (IOException e) {
            deleteQuietly(to, e);
            throw new UncheckedIOException(e);
        }
        if (!copy.sha256().equals(source.sha256()) || copy.size() != source.size()) {
            IllegalStateException e =
                    new IllegalStateException("Copying " + from + " to " + to + " gave different content");
            deleteQuietly(to, e);
            throw e;
        }
        return copy;
    }

    private void deleteQuietly(String key, Exception cause) {
        try {
            artifacts.delete(key);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
