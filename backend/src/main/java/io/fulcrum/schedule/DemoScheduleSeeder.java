package io.fulcrum.schedule;

import io.fulcrum.system.AppliedSeeds;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives an installation the named schedules of {@link NamedSchedules} once, as the task groups are
 * seeded: the marker row in {@code applied_seed} is claimed in the same transaction as the schedules
 * are written, so a deleted schedule does not come back.
 */
@Component
@ConditionalOnBooleanProperty(name = "fulcrum.demo.seed", matchIfMissing = true)
@ConditionalOnProperty(name = "fulcrum.role", havingValue = "server", matchIfMissing = true)
class DemoScheduleSeeder implements ApplicationRunner {

    static final String SEED = "schedule.named-schedules";
    private static final Logger log = LoggerFactory.getLogger(DemoScheduleSeeder.class);

    private final LossWeightSchedules schedules;
    private final NamedScheduleRepository repository;
    private final AppliedSeeds appliedSeeds;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    DemoScheduleSeeder(
            LossWeightSchedules schedules,
            NamedScheduleRepository repository,
            AppliedSeeds appliedSeeds,
            TransactionTemplate transaction,
            JsonMapper json) {
        this.schedules = schedules;
        this.repository = repository;
        this.appliedSeeds = appliedSeeds;
        this.transaction = transaction;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer seeded = transaction.execute(status -> seedOnce(SEED, NamedSchedules.seeds(json)));
        if (seeded != null && seeded > 0) {
            log.info("Seeded {} loss-weight schedules ({})", seeded, SEED);
        }
    }

    int seedOnce(String name, List<ScheduleRequest> seeds) {
        return appliedSeeds.seedOnce(
                name, seeds, seed -> repository.existsByNameIgnoreCase(seed.name()), schedules::create);
    }
}
