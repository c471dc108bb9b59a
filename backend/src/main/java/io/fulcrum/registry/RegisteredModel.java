package io.fulcrum.registry;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hibernate.annotations.BatchSize;

/**
 * A named model, the aggregate root of its aliases: where each alias points now. Its versions are
 * rows of their own ({@link ModelVersion}), only ever added; every alias change goes through {@link
 * #moveAlias}, which says what moved so that the move is recorded.
 */
@Entity
@Table(name = "registered_model")
class RegisteredModel {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String description;

    private Instant createdAt;

    @ElementCollection
    @CollectionTable(name = "model_alias", joinColumns = @JoinColumn(name = "model_id"))
    @MapKeyColumn(name = "alias")
    @BatchSize(size = 64)
    private Map<String, AliasTarget> aliases = new HashMap<>();

    protected RegisteredModel() {}

    RegisteredModel(String name, String description, Instant createdAt) {
        this.name = name;
        this.description = description;
        this.createdAt = createdAt;
    }

    /**
     * Points {@code alias} at {@code version}, or removes it when {@code version} is null. Returns the
     * move to record, or nothing when the alias already points there.
     */
    Optional<AliasMove> moveAlias(String alias, Integer version, String actor, String reason, Instant now) {
        AliasTarget current = aliases.get(alias);
        Integer from = current == null ? null : current.version();
        if (Objects.equals(from, version)) {
            return Optional.empty();
        }
        if (version == null) {
            aliases.remove(alias);
        } else {
            aliases.put(alias, new AliasTarget(version, now));
        }
        return Optional.of(new AliasMove(id, alias, from, version, actor, now, reason));
    }

    Optional<Integer> aliasVersion(String alias) {
        return Optional.ofNullable(aliases.get(alias)).map(AliasTarget::version);
    }

    boolean hasAliases() {
        return !aliases.isEmpty();
    }

    /** Current aliases sorted by name. */
    List<AliasView> aliasViews() {
        return aliases.entrySet().stream()
                .map(e -> new AliasView(
                        e.getKey(), e.getValue().version(), e.getValue().updatedAt()))
                .sorted(Comparator.comparing(AliasView::alias))
                .toList();
    }

    /** The aliases pointing at {@code version}, sorted. */
    List<String> aliasesOf(int version) {
        return aliases.entrySet().stream()
                .filter(e -> e.getValue().version() == version)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }

    String getDescription() {
        return description;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}
