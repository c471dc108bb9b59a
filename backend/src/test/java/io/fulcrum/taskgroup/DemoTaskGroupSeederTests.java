package io.fulcrum.taskgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fulcrum.FulcrumSpringTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@FulcrumSpringTest
class DemoTaskGroupSeederTests {

    @Autowired
    TaskGroupRepository repository;

    @Autowired
    DemoTaskGroupSeeder seeder;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    TaskGroupView seeded(String name) {
        return transaction.execute(status -> repository.findAll().stream()
                .filter(group -> group.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("task group " + name + " was not seeded"))
                .toView());
    }

    @Test
    void seedsThePapersTaskGroups() {
        assertThat(seeded("VTR+VCR").tasks())
                .extracting(TaskDefinition::name, TaskDefinition::kind, TaskDefinition::metric)
                .containsExactly(
                        tuple("vtr", TaskKind.BINARY, EvaluationMetric.AUC),
                        tuple("vcr", TaskKind.REGRESSION, EvaluationMetric.MSE));
        assertThat(seeded("CTR+VCR").tasks()).extracting(TaskDefinition::name).containsExactly("ctr", "vcr");
        assertThat(seeded("Census-income").tasks())
                .extracting(TaskDefinition::name)
                .containsExactly("income", "never_married");
        assertThat(seeded("Synthetic").tasks())
                .extracting(TaskDefinition::name, TaskDefinition::loss)
                .containsExactly(tuple("y1", TaskLoss.MSE), tuple("y2", TaskLoss.MSE));
    }

    @Test
    void putsShareAndCommentInTheClickSampleSpace() {
        assertThat(seeded("VTR+VCR+SHR+CMR").tasks())
                .extracting(TaskDefinition::name, TaskDefinition::sampleSpace)
                .containsExactly(
                        tuple("vtr", null),
                        tuple("vcr", null),
                        tuple("shr", SampleSpace.ofColumn("click")),
                        tuple("cmr", SampleSpace.ofColumn("click")));
    }

    @Test
    void putsConversionInTheClickSpaceOfThePublicDatasets() {
        for (String group : List.of("Ali-CCP", "AliExpress")) {
            assertThat(seeded(group).tasks())
                    .extracting(TaskDefinition::name, TaskDefinition::sampleSpace)
                    .containsExactly(tuple("ctr", null), tuple("cvr", SampleSpace.ofTask("ctr")));
        }
    }

    @Test
    void seedsEachSetOnlyOnce() {
        long before = repository.count();

        DemoTaskGroupSeeder.SEEDS.forEach((name, groups) -> {
            Integer secondRun = transaction.execute(status -> seeder.seedOnce(name, groups));

            assertThat(secondRun).as(name).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM applied_seed WHERE name = ?", Integer.class, name))
                    .isOne();
        });
        assertThat(repository.count()).isEqualTo(before);
    }

    @Test
    void seedsASetThatAnOlderInstallationLacks() {
        String name = "taskgroup.test-only-set";
        TaskGroupRequest group = new TaskGroupRequest(
                "Seeded later " + System.nanoTime(),
                "",
                List.of(new TaskGroupRequest.TaskRequest("a", "BINARY", "a", null, null, null, null, null)));

        Integer first = transaction.execute(status -> seeder.seedOnce(name, List.of(group)));
        Integer second = transaction.execute(status -> seeder.seedOnce(name, List.of(group)));

        assertThat(first).isOne();
        assertThat(second).isZero();
    }
}
