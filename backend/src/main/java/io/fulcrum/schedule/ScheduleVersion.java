package io.fulcrum.schedule;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One immutable version of a schedule's spec, numbered from 1. */
@Entity
@Table(name = "loss_weight_schedule_version")
class ScheduleVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "schedule_id")
    private NamedSchedule schedule;

    @Column(name = "version")
    private int number;

    @JdbcTypeCode(SqlTypes.JSON)
    private String spec;

    private Instant createdAt;

    protected ScheduleVersion() {}

    ScheduleVersion(NamedSchedule schedule, int number, String spec, Instant createdAt) {
        this.schedule = schedule;
        this.number = number;
        this.spec = spec;
        this.createdAt = createdAt;
    }

    int getNumber() {
        return number;
    }

    String getSpec() {
        return spec;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}
