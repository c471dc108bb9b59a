package io.fulcrum.rollout.internal;

import io.fulcrum.registry.AliasView;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.registry.RegisteredModelView;
import io.fulcrum.rollout.RolloutChanged;
import io.fulcrum.rollout.ScoringSpec;
import io.fulcrum.rollout.ScoringValidator;
import io.fulcrum.rollout.SurfaceRouting;
import io.fulcrum.security.AuditLog;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.Json;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Surfaces: the places that ask for rankings, each with the registered model whose {@code champion}
 * serves it when no experiment runs, and that route's scoring. An edit publishes {@link
 * RolloutChanged} so serving switches at once.
 */
@Service
public class Surfaces {

    public static final int MAX_DESCRIPTION = 2000;
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,59}$");
    private static final String COLUMNS = "id, name, model_name, scoring, description, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final ModelRegistry registry;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    private final TransactionTemplate writes;

    Surfaces(
            JdbcTemplate jdbc,
            ModelRegistry registry,
            ApplicationEventPublisher events,
            AuditLog audit,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.events = events;
        this.audit = audit;
        this.writes = new TransactionTemplate(transactions);
    }

    /** The surface of that name, if any. */
    @Transactional(readOnly = true)
    public Optional<SurfaceView> find(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM surface WHERE name = ?", Surfaces::view, name).stream()
                .findFirst();
    }

    /** The surface of that name; 404 when there is none. */
    @Transactional(readOnly = true)
    public SurfaceView get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("Surface", "'" + name + "'"));
    }

    /** The surface with that id; 404 when there is none. */
    @Transactional(readOnly = true)
    public SurfaceView get(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM surface WHERE id = ?", Surfaces::view, id).stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("Surface", Long.toString(id)));
    }

    /** Surfaces sorted by name. */
    @Transactional(readOnly = true)
    public PageResponse<SurfaceView> list(int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.by("name"));
        long total = jdbc.queryForObject("SELECT count(*) FROM surface", Long.class);
        List<SurfaceView> items = jdbc.query(
                "SELECT " + COLUMNS + " FROM surface ORDER BY name LIMIT ? OFFSET ?",
                Surfaces::view,
                size,
                request.getOffset());
        return PageResponse.of(items, request, total);
    }

    /**
     * Creates a surface. The rules are checked before the transaction: a registry lookup that fails
     * must not mark the write's transaction rollback-only.
     *
     * @throws InvalidInputException naming every broken rule (name, modelName, scoring.…, description)
     * @throws ConflictException when the name is taken
     */
    public SurfaceView create(SurfaceRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            violations.add(new FieldViolation("name", "required", "must not be blank"));
        } else if (!NAME.matcher(name).matches()) {
            violations.add(new FieldViolation(
                    "name",
                    "pattern",
                    "must be 1 to 60 lowercase letters, digits and '-', starting with a letter or digit"));
        }
        Checked checked = check(request, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        Instant now = clock.instant();
        try {
            return writes.execute(status -> {
                Long id = jdbc.queryForObject(
                        "INSERT INTO surface (name, model_name, scoring, description, created_at, updated_at)"
                                + " VALUES (?, ?, ?::jsonb, ?, ?, ?) RETURNING id",
                        Long.class,
                        name,
                        checked.modelName(),
                        Json.MAPPER.writeValueAsString(checked.scoring()),
                        checked.description(),
                        Timestamp.from(now),
                        Timestamp.from(now));
                SurfaceView created = new SurfaceView(
                        id, name, checked.modelName(), checked.scoring(), checked.description(), now, now);
                audit.record("surface.create", target(name), null, null, created);
                return created;
            });
        } catch (DuplicateKeyException e) {
            throw nameTaken(name);
        }
    }

    /**
     * Changes a surface's model, scoring and description; its name stays. Publishes {@link
     * RolloutChanged}: the next request is served by the new settings.
     */
    public SurfaceView update(String name, SurfaceRequest request) {
        get(name);
        List<FieldViolation> violations = new ArrayList<>();
        if (request.name() != null && !request.name().strip().equals(name)) {
            violations.add(new FieldViolation("name", "immutable", "a surface cannot be renamed"));
        }
        Checked checked = check(request, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return writes.execute(status -> write(name, checked));
    }

    private SurfaceView write(String name, Checked checked) {
        SurfaceView current =
                jdbc
                        .query("SELECT " + COLUMNS + " FROM surface WHERE name = ? FOR UPDATE", Surfaces::view, name)
                        .stream()
                        .findFirst()
                        .orElseThrow(() -> new NotFoundException("Surface", "'" + name + "'"));
        Instant now = clock.instant();
        jdbc.update(
                "UPDATE surface SET model_name = ?, scoring = ?::jsonb, description = ?, updated_at = ? WHERE id = ?",
                checked.modelName(),
                Json.MAPPER.writeValueAsString(checked.scoring()),
                checked.description(),
                Timestamp.from(now),
                current.id());
        events.publishEvent(new RolloutChanged(current.id()));
        SurfaceView updated = new SurfaceView(
                current.id(),
                name,
                checked.modelName(),
                checked.scoring(),
                checked.description(),
                current.createdAt(),
                now);
        audit.record("surface.update", target(name), null, current, updated);
        return updated;
    }

    private static String target(String name) {
        return "surface/" + name;
    }

    private record Checked(String modelName, ScoringSpec scoring, String description) {}

    private Checked check(SurfaceRequest request, List<FieldViolation> violations) {
        String modelName =
                request.modelName() == null ? "" : request.modelName().strip();
        List<String> tasks = null;
        if (modelName.isEmpty()) {
            violations.add(new FieldViolation("modelName", "required", "must name a registered model"));
        } else {
            try {
                tasks = tasksOf(registry.get(modelName));
            } catch (NotFoundException e) {
                violations.add(
                        new FieldViolation("modelName", "exists", "there is no registered model '" + modelName + "'"));
            }
        }
        ScoringSpec scoring = request.scoring() == null ? ScoringSpec.equalWeights() : request.scoring();
        violations.addAll(ScoringValidator.check("scoring", scoring, tasks));
        String description =
                request.description() == null ? "" : request.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            violations.add(new FieldViolation(
                    "description", "max-length", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        return new Checked(modelName, scoring, description);
    }

    /** The task names of the model's champion, else of its newest version; null while it has none. */
    private List<String> tasksOf(RegisteredModelView model) {
        Optional<AliasView> champion = model.aliases().stream()
                .filter(a -> a.alias().equals(SurfaceRouting.CHAMPION))
                .findFirst();
        if (champion.isPresent()) {
            return registry.resolve(
                            model.name(), Integer.toString(champion.get().version()))
                    .summary()
                    .tasks();
        }
        return model.latestVersion() == null
                ? null
                : model.latestVersion().summary().tasks();
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A surface named '" + name + "' already exists",
                List.of(new FieldViolation("name", "unique", "is already the name of another surface")));
    }

    public static SurfaceView view(ResultSet rs, int row) throws SQLException {
        return new SurfaceView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("model_name"),
                Json.MAPPER.readValue(rs.getString("scoring"), ScoringSpec.class),
                rs.getString("description"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
