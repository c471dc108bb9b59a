package io.fulcrum.taskgroup;

import io.fulcrum.system.AppliedSeeds;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives an installation the paper's task groups and those of the public datasets, each set once. A
 * set's marker row is claimed in the same transaction as its groups are written, so two processes
 * starting together seed only once, a user who deletes a seeded group does not see it come back, and
 * an installation from before a set existed still receives it.
 */
@Component
@ConditionalOnBooleanProperty(name = "fulcrum.demo.seed", matchIfMissing = true)
@ConditionalOnProperty(name = "fulcrum.role", havingValue = "server", matchIfMissing = true)
class DemoTaskGroupSeeder implements ApplicationRunner {

    static final Map<String, List<TaskGroupRequest>> SEEDS = Map.of(
            "taskgroup.paper-task-groups", PaperTaskGroups.paper(),
            "taskgroup.public-dataset-groups", PaperTaskGroups.publicDatasets());
    private static final Logger log = LoggerFactory.getLogger(DemoTaskGroupSeeder.class);

    private final TaskGroupManagement taskGroups;
    private final TaskGroupRepository repository;
    private final AppliedSeeds appliedSeeds;
    private final TransactionTemplate transaction;

    DemoTaskGroupSeeder(
            TaskGroupManagement taskGroups,
            TaskGroupRepository repository,
            AppliedSeeds appliedSeeds,
            TransactionTemplate transaction) {
        this.taskGroups = taskGroups;
        this.repository = repository;
        this.appliedSeeds = appliedSeeds;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) {
        SEEDS.forEach((name, groups) -> {
            Integer seeded = transaction.execute(status -> seedOnce(name, groups));
            if (seeded != null && seeded > 0) {
                log.info("Seeded {} task groups ({})", seeded, name);
            }
        });
    }

    int seedOnce(String name, List<TaskGroupRequest> groups) {
        return appliedSeeds.seedOnce(
                name, groups, group -> repository.existsByNameIgnoreCase(group.name()), taskGroups::create);
    }
}
