package io.fulcrum.taskgroup;

import java.sql.Timestamp;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives a new installation the paper's task groups, once. The marker row is claimed in the same
 * transaction as the groups are written, so two processes starting together seed only once, and a
 * user who deletes a seeded group does not see it come back.
 */
@Component
@ConditionalOnBooleanProperty(name = "fulcrum.demo.seed", matchIfMissing = true)
class DemoTaskGroupSeeder implements ApplicationRunner {

    static final String SEED_NAME = "taskgroup.paper-task-groups";
    private static final Logger log = LoggerFactory.getLogger(DemoTaskGroupSeeder.class);

    private final TaskGroupManagement taskGroups;
    private final TaskGroupRepository repository;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    DemoTaskGroupSeeder(
            TaskGroupManagement taskGroups,
            TaskGroupRepository repository,
            JdbcTemplate jdbc,
            TransactionTemplate transaction) {
        this.taskGroups = taskGroups;
        this.repository = repository;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer seeded = transaction.execute(status -> seedOnce());
        if (seeded != null && seeded > 0) {
            log.info("Seeded {} task groups of the PLE paper", seeded);
        }
    }

    int seedOnce() {
        int claimed = jdbc.update(
                "INSERT INTO applied_seed (name, applied_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                SEED_NAME,
                Timestamp.from(Instant.now()));
        if (claimed == 0) {
            return 0;
        }
        int created = 0;
        for (TaskGroupRequest group : PaperTaskGroups.all()) {
            if (!repository.existsByNameIgnoreCase(group.name())) {
                taskGroups.create(group);
                created++;
            }
        }
        return created;
    }
}
