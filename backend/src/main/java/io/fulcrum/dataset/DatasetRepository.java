package io.fulcrum.dataset;

import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<Dataset, Long> {

    boolean existsByNameIgnoreCase(String name);

    long countByCacheSha256(String cacheSha256);

    java.util.List<Dataset> findByCacheSha256IsNull();
}
