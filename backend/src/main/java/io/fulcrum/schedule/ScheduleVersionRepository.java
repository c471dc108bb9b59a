package io.fulcrum.schedule;

import java.util.Optional;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface ScheduleVersionRepository extends Repository<ScheduleVersion, Long> {

    @Query("select v from ScheduleVersion v where v.schedule.id = :scheduleId and v.number = :number")
    Optional<ScheduleVersion> find(long scheduleId, int number);

    @Query("select v from ScheduleVersion v where v.schedule.id = :scheduleId"
            + " and v.number = v.schedule.currentVersion")
    Optional<ScheduleVersion> findLatest(long scheduleId);
}
