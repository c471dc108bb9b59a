package io.fulcrum.schedule;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.BatchSize;

/**
 * A named loss-weight schedule, the aggregate root of its versions. Versions are only ever added:
 * {@link #currentVersion} is always the number of the last one.
 */
@Entity
@Table(name = "loss_weight_schedule")
class NamedSchedule {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String description;

    private int currentVersion;

    private Instant createdAt;

    private Instant updatedAt;

    @OneToMany(mappedBy = "schedule", cascade = CascadeType.ALL)
    @OrderBy("number")
    @BatchSize(size = 64)
    private List<ScheduleVersion> versions = new ArrayList<>();

    protected NamedSchedule() {}

    static NamedSchedule create(String name, String description, String specJson, Instant now) {
        NamedSchedule schedule = new NamedSchedule();
        schedule.createdAt = now;
        schedule.rename(name, description, now);
        schedule.addVersion(specJson, now);
        return schedule;
    }

    void rename(String name, String description, Instant now) {
        this.name = name;
        this.description = description;
        this.updatedAt = now;
    }

    /** Adds version {@code currentVersion + 1} with this spec. */
    void addVersion(String specJson, Instant now) {
        currentVersion = versions.size() + 1;
        versions.add(new ScheduleVersion(this, currentVersion, specJson, now));
        updatedAt = now;
    }

    ScheduleVersion latest() {
        return versions.get(versions.size() - 1);
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

    int getCurrentVersion() {
        return currentVersion;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    List<ScheduleVersion> getVersions() {
        return List.copyOf(versions);
    }
}
