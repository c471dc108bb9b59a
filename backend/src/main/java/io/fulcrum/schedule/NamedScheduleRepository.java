package io.fulcrum.schedule;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface NamedScheduleRepository extends JpaRepository<NamedSchedule, Long> {

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    /** Locks the schedule's row so that two concurrent edits number their versions one after the other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from NamedSchedule s where s.id = :id")
    Optional<NamedSchedule> findForUpdate(long id);
}
