package io.fulcrum.taskgroup;

import org.springframework.data.jpa.repository.JpaRepository;

interface TaskGroupRepository extends JpaRepository<TaskGroup, Long> {

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);
}
