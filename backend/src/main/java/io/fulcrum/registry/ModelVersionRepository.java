package io.fulcrum.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface ModelVersionRepository extends Repository<ModelVersion, Long> {

    ModelVersion saveAndFlush(ModelVersion version);

    @Query("select v from ModelVersion v where v.modelId = :modelId and v.number = :number")
    Optional<ModelVersion> find(long modelId, int number);

    @Query("select v from ModelVersion v where v.modelId = :modelId and v.runId = :runId")
    Optional<ModelVersion> findByRun(long modelId, long runId);

    @Query("select coalesce(max(v.number), 0) from ModelVersion v where v.modelId = :modelId")
    int latestNumber(long modelId);

    @Query("select v from ModelVersion v where v.modelId = :modelId")
    Page<ModelVersion> findAll(long modelId, Pageable page);

    /** The newest version of each of these models (models without versions have none). */
    @Query("select v from ModelVersion v where v.modelId in :modelIds and v.number ="
            + " (select max(w.number) from ModelVersion w where w.modelId = v.modelId)")
    List<ModelVersion> findLatest(Collection<Long> modelIds);
}
