package io.fulcrum.registry;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change of an alias, kept for good: created (from null), moved, or removed (to null). */
@Entity
@Table(name = "model_alias_move")
class AliasMove {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private long modelId;

    private String alias;

    private Integer fromVersion;

    private Integer toVersion;

    private String movedBy;

    private Instant movedAt;

    private String reason;

    protected AliasMove() {}

    AliasMove(
            long modelId,
            String alias,
            Integer fromVersion,
            Integer toVersion,
            String movedBy,
            Instant movedAt,
            String reason) {
        this.modelId = modelId;
        this.alias = alias;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.movedBy = movedBy;
        this.movedAt = movedAt;
        this.reason = reason;
    }

    AliasMoveView toView() {
        return new AliasMoveView(alias, fromVersion, toVersion, movedBy, movedAt, reason);
    }

    String getAlias() {
        return alias;
    }

    Integer getFromVersion() {
        return fromVersion;
    }

    Integer getToVersion() {
        return toVersion;
    }

    String getMovedBy() {
        return movedBy;
    }

    String getReason() {
        return reason;
    }
}
