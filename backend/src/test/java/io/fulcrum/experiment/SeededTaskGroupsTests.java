package io.fulcrum.experiment;

import static io.fulcrum.experiment.ExperimentFixtures.body;
import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Every task group a new installation is given works with the dataset it is given for: the dataset
 * is imported (or generated) as the README says, and a study of the seeded group on it is accepted.
 * The seeded census group once asked for a label {@code income_50k} that the census preset does not
 * produce ({@code income}), so the README's own first study was a 400.
 */
@FulcrumSpringTest
class SeededTaskGroupsTests {

    /** Tests run in backend/; migrations/ is beside it. */
    private static final Path MIGRATION = Path.of("..", "migrations", "V12__taskgroup_census_income_label.sql");

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Census-income | {\"kind\": \"FILE\", \"file\": {\"path\": \"census-income/census-income.test.gz\","
                        + " \"preset\": \"census-income\"}}",
                "Ali-CCP | {\"kind\": \"FILE\", \"file\": {\"path\": \"ali-ccp-sample/ali_ccp_train_sample.csv\","
                        + " \"preset\": \"ali-ccp\"}}",
                "AliExpress | {\"kind\": \"FILE\", \"file\": {\"path\":"
                        + " \"aliexpress-sample/aliexpress_train_sample.csv\", \"preset\": \"aliexpress\"}}",
                "VTR+VCR | {\"kind\": \"VIDEO_SIMULATOR\", \"spec\": {\"impressions\": 2000, \"world\":"
                        + " {\"population\": {\"users\": 200, \"videos\": 100}}}}",
                "CTR+VCR | {\"kind\": \"VIDEO_SIMULATOR\", \"spec\": {\"impressions\": 2000, \"world\":"
                        + " {\"population\": {\"users\": 200, \"videos\": 100}}}}",
                "VTR+VCR+SHR+CMR | {\"kind\": \"VIDEO_SIMULATOR\", \"spec\": {\"impressions\": 2000, \"world\":"
                        + " {\"population\": {\"users\": 200, \"videos\": 100}}}}",
                "Synthetic | {\"kind\": \"SYNTHETIC\", \"spec\": {\"correlation\": 0.5, \"samples\": 500,"
                        + " \"dimension\": 8}}"
            })
    void aStudyOfTheSeededGroupIsAcceptedOnItsDataset(String group, String dataset) {
        ExperimentFixtures fx = new ExperimentFixtures(mvc);
        long groupId = seeded(fx, group);
        String source = Pattern.compile("\"path\": \"([^\"]+)\"")
                .matcher(dataset)
                .replaceAll(m -> Matcher.quoteReplacement(
                        "\"path\": \"" + SharedData.file(m.group(1)).toAbsolutePath() + "\""));
        long datasetId = fx.create(
                "/api/datasets",
                "{\"name\": \"" + unique("seeded") + "\", " + source.substring(1, source.length() - 1)
                        + ", \"split\": {\"by\": \"random\", \"seed\": 1}}");

        // a worker label no worker carries keeps the runs queued: this test asks whether the study is
        // valid, not how it trains
        MvcTestResult study = fx.post("/api/studies", """
                {"name": "%s", "taskGroupId": %d, "datasetId": %d, "seeds": [1],
                 "models": [{"architecture": "mmoe"}],
                 "resources": {"workerLabels": ["nobody-%s"]}}""".formatted(unique("seeded"), groupId, datasetId, unique("x")));

        assertThat(study).as(body(study)).hasStatus(HttpStatus.CREATED);
        for (Number run : JsonPath.<List<Number>>read(body(study), "$.runs[*].id")) {
            mvc.post().uri("/api/runs/{id}/cancel", run.longValue()).exchange();
        }
    }

    @Test
    void anInstallationSeededBeforeTheFixGetsThePresetsLabel() throws Exception {
        long group = seeded(new ExperimentFixtures(mvc), "Census-income");
        jdbc.update("UPDATE task SET label_column = 'income_50k' WHERE task_group_id = ? AND name = 'income'", group);
        long before = jdbc.queryForObject("SELECT version FROM task_group WHERE id = ?", Long.class, group);

        jdbc.execute(Files.readString(MIGRATION));

        assertThat(jdbc.queryForObject(
                        "SELECT label_column FROM task WHERE task_group_id = ? AND name = 'income'",
                        String.class,
                        group))
                .isEqualTo("income");
        assertThat(jdbc.queryForObject("SELECT version FROM task_group WHERE id = ?", Long.class, group))
                .isEqualTo(before + 1);
        jdbc.execute(Files.readString(MIGRATION));
        assertThat(jdbc.queryForObject("SELECT version FROM task_group WHERE id = ?", Long.class, group))
                .as("a second run changes nothing")
                .isEqualTo(before + 1);
    }

    private static long seeded(ExperimentFixtures fx, String name) {
        List<Number> ids =
                JsonPath.read(fx.get("/api/task-groups?size=200"), "$.items[?(@.name == '" + name + "')].id");
        assertThat(ids).as("the seeded group " + name).hasSize(1);
        return ids.get(0).longValue();
    }
}
