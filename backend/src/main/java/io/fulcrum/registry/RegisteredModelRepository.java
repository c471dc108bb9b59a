package io.fulcrum.registry;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface RegisteredModelRepository extends JpaRepository<RegisteredModel, Long> {

    @Query("select m from RegisteredModel m where lower(m.name) = lower(:name)")
    Optional<RegisteredModel> findByName(String name);

    /** Locks the model's row: registrations number their versions, and alias moves record their origin, one at a time. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from RegisteredModel m where lower(m.name) = lower(:name)")
    Optional<RegisteredModel> findForUpdate(String name);

    /** Creates the model unless one of that name exists; waits for a concurrent creator to finish first. */
    @Modifying
    @Query(
            value = "INSERT INTO registered_model (name, description, created_at) VALUES (:name, '', :now)"
                    + " ON CONFLICT ((lower(name))) DO NOTHING",
            nativeQuery = true)
    int insertIfAbsent(String name, Instant now);
}
