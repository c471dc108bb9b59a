package io.fulcrum.dataset;

import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<Dataset, Long> {

    boolean existsByNameIgnoreCase(String name);
}
