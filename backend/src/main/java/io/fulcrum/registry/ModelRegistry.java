package io.fulcrum.registry;

import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The model registry's façade: named models, versions registered from SUCCEEDED runs, and aliases
 * whose every move is recorded. Every change is whole or not at all; it publishes {@link
 * ModelVersionRegistered} and {@link ModelAliasMoved} inside its transaction.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final AliasMoveRepository moves;
    private final VersionRegistration registration;
    private final ArtifactStore artifacts;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final TransactionTemplate readOnly;
    private final TransactionTemplate readWrite;
    private final Clock clock;

    ModelRegistry(
            RegisteredModelRepository models,
            ModelVersionRepository versions,
            AliasMoveRepository moves,
            VersionRegistration registration,
            ArtifactStore artifacts,
            ApplicationEventPublisher events,
            AuditLog audit,
            PlatformTransactionManager transactions) {
        this.models = models;
        this.versions = versions;
        this.moves = moves;
        this.registration = registration;
        this.artifacts = artifacts;
        this.events = events;
        this.audit = audit;
        this.readWrite = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = Clock.systemUTC();
    }

    /** Where the registry keeps its copy of a version's model directory. */
    static String artifactKey(long modelId, int version) {
        return artifactPrefix(modelId) + "versions/" + version;
    }

    static String artifactPrefix(long modelId) {
        return "models/" + modelId + "/";
    }

    // ---- models ----

    /** Models sorted by name, each with its newest version and its aliases. */
    @Transactional(readOnly = true)
    public PageResponse<RegisteredModelView> list(int page, int size) {
        Page<RegisteredModel> found =
                models.findAll(PageRequests.of(page, size, Sort.by("name").and(Sort.by("id"))));
        List<Long> ids = found.getContent().stream().map(RegisteredModel::getId).toList();
        Map<Long, ModelVersion> latest = ids.isEmpty()
                ? Map.of()
                : versions.findLatest(ids).stream()
                        .collect(Collectors.toMap(ModelVersion::getModelId, Function.identity()));
        return PageResponse.of(found, m -> view(m, latest.get(m.getId())));
    }

    @Transactional(readOnly = true)
    public RegisteredModelView get(String modelName) {
        RegisteredModel model = find(modelName);
        return view(
                model,
                versions.find(model.getId(), versions.latestNumber(model.getId()))
                        .orElse(null));
    }

    /** Creates a model without versions; {@link #register} also creates one that does not exist yet. */
    @Transactional
    public RegisteredModelView create(RegisteredModelRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = RegistryRules.name(request.name(), violations);
        String description = RegistryRules.description(request.description(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (models.findByName(name).isPresent()) {
            throw nameTaken(name);
        }
        RegisteredModelView created;
        try {
            created = view(models.saveAndFlush(new RegisteredModel(name, description, clock.instant())), null);
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(name);
        }
        audit.record("model.create", target(created.name()), null, null, modelSnapshot(created.name(), description));
        return created;
    }

    /**
     * Deletes a model with its versions, alias history and artifacts; refused (409) while any alias
     * points into it, since something may be serving it. The rows go in one transaction, the
     * artifacts after it commits.
     */
    public void delete(String modelName) {
        long id = readWrite.execute(status -> {
            RegisteredModel model = lock(modelName);
            if (model.hasAliases()) {
                String aliases = model.aliasViews().stream()
                        .map(a -> a.alias() + " → " + a.version())
                        .collect(Collectors.joining(", "));
                throw new ConflictException("Model '" + model.getName() + "' still has aliases (" + aliases
                        + "); remove them before deleting it");
            }
            Map<String, Object> before = modelSnapshot(model.getName(), model.getDescription());
            before.put("versions", versions.latestNumber(model.getId()));
            models.delete(model);
            models.flush();
            audit.record("model.delete", target(model.getName()), null, before, null);
            return model.getId();
        });
        try {
            artifacts.deletePrefix(artifactPrefix(id));
        } catch (RuntimeException e) {
            log.warn("Model '{}' is deleted but its artifacts under {} are not: {}", modelName, artifactPrefix(id), e);
        }
    }

    // ---- versions ----

    /**
     * Registers a SUCCEEDED run as the next version of the model, creating the model if there is none
     * of that name. The run's model artifact is copied (streamed) to {@code models/{id}/versions/{v}};
     * a failure leaves neither a row nor the copy.
     *
     * @param actor who registers it ; null for the authenticated actor
     * @throws InvalidInputException for a bad name or description, or a run that is unknown, not
     *     SUCCEEDED or without a model artifact ({@code runId})
     * @throws ConflictException when the run is already a version of this model
     */
    public ModelVersionView register(String modelName, VersionRequest request, String actor) {
        return registration.register(modelName, request, actor);
    }

    /** A model's versions, newest first. */
    @Transactional(readOnly = true)
    public PageResponse<ModelVersionSummary> versions(String modelName, int page, int size) {
        RegisteredModel model = find(modelName);
        Page<ModelVersion> found =
                versions.findAll(model.getId(), PageRequests.of(page, size, Sort.by(Sort.Direction.DESC, "number")));
        return PageResponse.of(found, v -> v.toSummary(model.aliasesOf(v.getNumber())));
    }

    /**
     * The version that {@code aliasOrVersion} names in the model: a version number ({@code 3}), an
     * alias ({@code champion}) or {@code latest} (the newest version).
     *
     * @throws NotFoundException when the model, the version or the alias does not exist
     */
    @Transactional(readOnly = true)
    public ModelVersionView resolve(String modelName, String aliasOrVersion) {
        RegisteredModel model = find(modelName);
        ModelVersion version = resolve(model, aliasOrVersion);
        return version.toView(model.getName(), model.aliasesOf(version.getNumber()));
    }

    /**
     * Restores version {@code version}'s model directory (spec.json, preprocessing.json,
     * checkpoint.json, parameters.bin: {@code io.fulcrum.mtl.Checkpoint.load} reads it) into {@code
     * dir}, which must not exist or be empty.
     */
    public void extractArtifact(String modelName, int version, Path dir) {
        artifacts.extractTo(storedArtifact(modelName, version).key(), dir);
    }

    /** The zip of version {@code version}'s model directory, streamed; the caller closes it. */
    public InputStream openArtifact(String modelName, int version) {
        return artifacts.open(storedArtifact(modelName, version).key());
    }

    private ModelVersionView.Artifact storedArtifact(String modelName, int version) {
        return readOnly.execute(status -> {
            RegisteredModel model = find(modelName);
            ModelVersion found = versions.find(model.getId(), version)
                    .orElseThrow(() -> versionNotFound(model, Integer.toString(version)));
            return new ModelVersionView.Artifact(
                    found.getArtifactKey(), found.getArtifactSize(), found.getArtifactSha256());
        });
    }

    // ---- aliases ----

    /** Where each alias of the model points now, sorted by alias. */
    @Transactional(readOnly = true)
    public List<AliasView> aliases(String modelName) {
        return find(modelName).aliasViews();
    }

    /**
     * Points {@code alias} at a version of the model, creating the alias if needed, and records the
     * move. Pointing it where it already points changes and records nothing.
     *
     * @param actor who moves it ; null for the authenticated actor
     */
    @Transactional
    public AliasView moveAlias(String modelName, String alias, AliasRequest request, String actor) {
        String who = RegistryRules.actor(actor);
        List<FieldViolation> violations = new ArrayList<>();
        RegistryRules.alias(alias, violations);
        if (request.version() == null) {
            violations.add(new FieldViolation("version", "required", "must be given"));
        }
        String reason = RegistryRules.reason(request.reason(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        RegisteredModel model = lock(modelName);
        int version = request.version();
        if (versions.find(model.getId(), version).isEmpty()) {
            throw new InvalidInputException(new FieldViolation(
                    "version", "exists", "model '" + model.getName() + "' has no version " + version));
        }
        model.moveAlias(alias, version, who, reason, clock.instant()).ifPresent(move -> record(model, move));
        return model.aliasViews().stream()
                .filter(a -> a.alias().equals(alias))
                .findFirst()
                .orElseThrow();
    }

    /** Removes an alias, recorded as a move to no version. */
    @Transactional
    public void removeAlias(String modelName, String alias, String reason, String actor) {
        String who = RegistryRules.actor(actor);
        List<FieldViolation> violations = new ArrayList<>();
        if (RegistryRules.LATEST.equals(alias)) {
            violations.add(new FieldViolation(
                    "alias", "reserved", "'latest' always means the newest version and cannot be removed"));
        }
        String why = RegistryRules.reason(reason, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        RegisteredModel model = lock(modelName);
        if (model.aliasVersion(alias).isEmpty()) {
            throw aliasNotFound(model, alias);
        }
        model.moveAlias(alias, null, who, why, clock.instant()).ifPresent(move -> record(model, move));
    }

    /** Every move of an alias, newest first, including those before it was removed. */
    @Transactional(readOnly = true)
    public List<AliasMoveView> history(String modelName, String alias) {
        RegisteredModel model = find(modelName);
        List<AliasMove> found = moves.history(model.getId(), alias);
        if (found.isEmpty()) {
            throw aliasNotFound(model, alias);
        }
        return found.stream().map(AliasMove::toView).toList();
    }

    /** Every move of every alias of the model, removed aliases included, newest first. */
    @Transactional(readOnly = true)
    public List<AliasMoveView> aliasHistory(String modelName) {
        return moves.history(find(modelName).getId()).stream()
                .map(AliasMove::toView)
                .toList();
    }

    // ---- helpers ----

    private void record(RegisteredModel model, AliasMove move) {
        moves.save(move);
        audit.recordAs(
                move.getMovedBy(),
                move.getToVersion() == null ? "model.alias-remove" : "model.alias-move",
                target(model.getName()),
                move.getReason(),
                aliasSnapshot(move.getAlias(), move.getFromVersion()),
                aliasSnapshot(move.getAlias(), move.getToVersion()));
        events.publishEvent(new ModelAliasMoved(
                model.getName(), move.getAlias(), move.getFromVersion(), move.getToVersion(), move.getMovedBy()));
    }

    private ModelVersion resolve(RegisteredModel model, String aliasOrVersion) {
        int number;
        if (RegistryRules.LATEST.equals(aliasOrVersion)) {
            number = versions.latestNumber(model.getId());
        } else if (RegistryRules.versionNumber(aliasOrVersion) >= 0) {
            number = RegistryRules.versionNumber(aliasOrVersion);
        } else {
            number = model.aliasVersion(aliasOrVersion).orElseThrow(() -> aliasNotFound(model, aliasOrVersion));
        }
        return versions.find(model.getId(), number).orElseThrow(() -> versionNotFound(model, aliasOrVersion));
    }

    private static String target(String modelName) {
        return "model/" + modelName;
    }

    private static Map<String, Object> modelSnapshot(String name, String description) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("name", name);
        snapshot.put("description", description);
        return snapshot;
    }

    /** Where an alias points, or null when it points nowhere (not yet created, or removed). */
    private static Map<String, Object> aliasSnapshot(String alias, Integer version) {
        if (version == null) {
            return null;
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("alias", alias);
        snapshot.put("version", version);
        return snapshot;
    }

    private RegisteredModelView view(RegisteredModel model, ModelVersion latest) {
        return new RegisteredModelView(
                model.getId(),
                model.getName(),
                model.getDescription(),
                latest == null ? null : latest.toSummary(model.aliasesOf(latest.getNumber())),
                model.aliasViews(),
                model.getCreatedAt());
    }

    private RegisteredModel find(String name) {
        return models.findByName(name).orElseThrow(() -> new NotFoundException("Model", "'" + name + "'"));
    }

    private RegisteredModel lock(String name) {
        return models.findForUpdate(name).orElseThrow(() -> new NotFoundException("Model", "'" + name + "'"));
    }

    private static NotFoundException versionNotFound(RegisteredModel model, String version) {
        return new NotFoundException("Version", version + " of model '" + model.getName() + "'");
    }

    private static NotFoundException aliasNotFound(RegisteredModel model, String alias) {
        return new NotFoundException("Alias", "'" + alias + "' of model '" + model.getName() + "'");
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A model named '" + name + "' already exists",
                List.of(new FieldViolation("name", "unique", "is already the name of another model")));
    }
}
