package io.fulcrum.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

@FulcrumSpringTest
class DemoScheduleSeederTests {

    @Autowired
    DemoScheduleSeeder seeder;

    @Autowired
    LossWeightSchedules schedules;

    @Autowired
    NamedScheduleRepository repository;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JsonMapper json;

    long idOf(String name) {
        return jdbc.queryForObject("SELECT id FROM loss_weight_schedule WHERE name = ?", Long.class, name);
    }

    @Test
    void seedsSchedulesThatFitAnyNumberOfTasks() {
        for (String name : List.of("equal", "dwa", "uncertainty")) {
            ScheduleVersionRef ref = schedules.resolve(idOf(name));
            assertThat(ref.version()).as(name).isOne();
            for (int tasks = 1; tasks <= 8; tasks++) {
                schedules.checkFits(ref.spec(), tasks);
            }
        }
        assertThat(schedules.get(idOf("dwa")).spec()).hasToString("Dwa[temperature=2.0]");
    }

    @Test
    void seedsOnlyOnce() {
        long before = repository.count();

        Integer secondRun =
                transaction.execute(status -> seeder.seedOnce(DemoScheduleSeeder.SEED, NamedSchedules.seeds(json)));

        assertThat(secondRun).isZero();
        assertThat(repository.count()).isEqualTo(before);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM applied_seed WHERE name = ?", Integer.class, DemoScheduleSeeder.SEED))
                .isOne();
    }
}
