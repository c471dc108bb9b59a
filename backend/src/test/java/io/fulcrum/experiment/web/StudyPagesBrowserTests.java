package io.fulcrum.experiment.web;

import static io.fulcrum.experiment.ExperimentFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.experiment.ExperimentFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The overview and study pages driven the way a person uses them: a task group made on its form, a
 * study made on the new-study form and followed until it is done, and then the charts and the table
 * checked against what the comparison API reports.
 */
@FulcrumSpringTest
class StudyPagesBrowserTests extends BrowserTest {

    /** Set to a folder to save the finished study page and the overview there (the docs' images). */
    static final String DOCS_SCREENSHOTS = "fulcrum.docs.screenshots";

    @Autowired
    MockMvcTester mvc;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    @Test
    void showsEveryErrorNextToItsField() {
        long groupId = fx.taskGroup();
        long datasetId = fx.dataset();
        open("/studies/new");
        choose("taskGroupId", String.valueOf(groupId));
        choose("datasetId", String.valueOf(datasetId));
        choose("models0.architecture", "");
        choose("models2.architecture", "mmoe");
        type("models2.name", "wide-mmoe");
        type("models2.sharedExperts", "100");
        type("epochs", "0");
        choose("useSampleWeights", "on"); // the generated dataset has no weight column

        submit("create-study");

        assertThat(field("form-errors").getText()).contains("Please correct the highlighted fields.");
        assertThat(errorNextTo("name")).isEqualTo("must not be blank");
        assertThat(errorNextTo("models2.sharedExperts")).contains("64");
        assertThat(errorNextTo("models1.sharedExperts")).isEmpty();
        assertThat(errorNextTo("epochs")).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#model-rows tbody tr"))).hasSize(4);
        assertThat(field("models2.name").getAttribute("value")).isEqualTo("wide-mmoe");

        type("epochs", "many");
        type("models1.expertUnits", "8, wide");
        submit("create-study");

        assertThat(errorNextTo("epochs")).isEqualTo("must be a whole number");
        assertThat(errorNextTo("models1.expertUnits")).isEqualTo("must be whole numbers separated by commas");

        // everything else right: the choice of sample weights is checked against the dataset
        type("name", "weighted");
        type("epochs", "1");
        type("models1.expertUnits", "8");
        type("models2.sharedExperts", "2");
        type("parameterBudget", "5000"); // without choosing to match
        submit("create-study");

        assertThat(errorNextTo("useSampleWeights")).contains("has no WEIGHT column");
        assertThat(errorNextTo("parameterBudget")).contains("matchParameters");
        assertThat(errorNextTo("epochs")).isEmpty();
    }

    @Test
    void createsAStudyFollowsItAndDrawsWhatTheComparisonSays() {
        long datasetId = fx.dataset();
        long groupId = createTaskGroupOnItsForm();
        String name = unique("ple-vs-mmoe");

        open("/overview");
        submit("overview-new-study");
        type("name", name);
        choose("taskGroupId", String.valueOf(groupId));
        choose("datasetId", String.valueOf(datasetId));
        choose("models0.architecture", "mmoe");
        type("models0.sharedExperts", "3");
        type("models0.expertUnits", "8");
        type("models0.towerUnits", "8");
        choose("models1.architecture", "ple");
        type("models1.levels", "2");
        type("models1.sharedExperts", "1");
        type("models1.taskExperts", "1");
        type("models1.expertUnits", "8");
        type("models1.towerUnits", "8");
        type("seeds", "1, 2");
        type("epochs", "2");
        type("batchSize", "256");
        type("learningRate", "0.01");
        submit("create-study");

        assertThat(field("study-name").getText()).isEqualTo(name);
        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .contains("6 runs");
        long studyId = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/studies/(\\d+).*", "$1"));
        new WebDriverWait(browser, Duration.ofMinutes(4), Duration.ofMillis(250))
                .until(b -> "true".equals(field("study").getAttribute("data-ready")));
        assertThat(field("study-progress-text").getText()).isEqualTo("6 of 6 runs finished");
        assertThat(field("study-runs").getText()).contains("SUCCEEDED").doesNotContain("FAILED");

        String comparison = fx.get("/api/studies/{id}/comparison", studyId);
        assertThat(JsonPath.<List<String>>read(comparison, "$.models[*].model"))
                .containsExactly("single", "mmoe", "ple");
        bubbleChartHoldsOneBubblePerModelAtItsGains(comparison);
        gainTableShowsTheComparison(comparison);
        utilizationChartHasOneBarPerExpertPerGate(fx.get("/api/studies/{id}/expert-utilization", studyId));
        docsScreenshot("study.png");

        open("/overview");
        assertThat(field("latest-studies").getText()).contains(name);
        assertThat(field("tile-workers").getText()).contains("workers alive");
        docsScreenshot("overview.png");

        open("/studies");
        assertThat(field("studies").getText()).contains(name, "mmoe: inconclusive", "ple: inconclusive");

        open("/studies/new");
        type("name", name);
        choose("taskGroupId", String.valueOf(groupId));
        choose("datasetId", String.valueOf(datasetId));
        submit("create-study");
        assertThat(errorNextTo("name")).isEqualTo("'" + name + "' is taken");
    }

    private long createTaskGroupOnItsForm() {
        open("/task-groups/new");
        type("name", unique("two regressions"));
        type("tasks0.name", "y1");
        choose("tasks0.kind", "REGRESSION");
        type("tasks0.labelColumn", "y1");
        type("tasks1.name", "y2");
        choose("tasks1.kind", "REGRESSION");
        type("tasks1.labelColumn", "y2");
        submit("save");
        return Long.parseLong(browser.getCurrentUrl().replaceAll(".*/task-groups/(\\d+).*", "$1"));
    }

    private void bubbleChartHoldsOneBubblePerModelAtItsGains(String comparison) {
        List<Map<String, Object>> bubbles = script("""
                const option = echarts.getInstanceByDom(document.getElementById('bubble-chart')).getOption();
                const bars = option.series.find(s => s.id === 'error-bars').data;
                return option.series.find(s => s.id === 'models').data
                    .map((d, i) => ({name: d.name, x: d.value[0], y: d.value[1], parameters: d.value[2], call: d.call,
                        bar: bars[i]}));""");
        assertThat(bubbles).extracting(b -> b.get("name")).containsExactlyInAnyOrder("mmoe", "ple");
        for (Map<String, Object> bubble : bubbles) {
            String model = "$.models[?(@.model == '" + bubble.get("name") + "')]";
            assertThat(number(bubble.get("x")))
                    .isCloseTo(first(comparison, model + ".tasks.y1.gain.mean"), within(1e-12));
            assertThat(number(bubble.get("y")))
                    .isCloseTo(first(comparison, model + ".tasks.y2.gain.mean"), within(1e-12));
            assertThat(number(bubble.get("parameters"))).isEqualTo(first(comparison, model + ".parameters"));
            // the error bars are the 95% intervals, the colour follows the two tasks' calls
            @SuppressWarnings("unchecked")
            List<Object> bar = (List<Object>) bubble.get("bar");
            assertThat(number(bar.get(2))).isCloseTo(first(comparison, model + ".tasks.y1.gain.ci.low"), within(1e-12));
            assertThat(number(bar.get(3)))
                    .isCloseTo(first(comparison, model + ".tasks.y1.gain.ci.high"), within(1e-12));
            assertThat(number(bar.get(4))).isCloseTo(first(comparison, model + ".tasks.y2.gain.ci.low"), within(1e-12));
            assertThat(number(bar.get(5)))
                    .isCloseTo(first(comparison, model + ".tasks.y2.gain.ci.high"), within(1e-12));
            List<String> calls = List.of(
                    JsonPath.<List<String>>read(comparison, model + ".tasks.y1.call")
                            .get(0),
                    JsonPath.<List<String>>read(comparison, model + ".tasks.y2.call")
                            .get(0));
            String pair = calls.contains("BETTER")
                    ? (calls.contains("WORSE") ? "seesaw" : "better")
                    : (calls.contains("WORSE") ? "worse" : "no change");
            assertThat(bubble.get("call")).isEqualTo(pair);
        }
        List<Object> baseline = script("""
                const option = echarts.getInstanceByDom(document.getElementById('bubble-chart')).getOption();
                return option.series.find(s => s.id === 'baseline').data[0];""");
        assertThat(baseline).extracting(StudyPagesBrowserTests::number).containsExactly(0.0, 0.0);
        assertThat(browser.findElements(By.cssSelector("#bubble-table tbody tr")))
                .hasSize(2);
    }

    private void gainTableShowsTheComparison(String comparison) {
        List<Map<String, Object>> rows = script("""
                return Array.from(document.querySelectorAll('#gain-table tbody tr')).map(r => ({
                    model: r.dataset.model,
                    cells: Array.from(r.cells).map(c => ({value: c.dataset.value ?? null, std: c.dataset.std ?? null,
                        call: c.dataset.call ?? null, text: c.textContent, css: c.className}))}));""");
        assertThat(rows).extracting(r -> r.get("model")).containsExactly("single", "mmoe", "ple");
        for (Map<String, Object> row : rows) {
            String model = "$.models[?(@.model == '" + row.get("model") + "')]";
            @SuppressWarnings("unchecked")
            List<Map<String, String>> cells = (List<Map<String, String>>) row.get("cells");
            int column = 3;
            for (String task : List.of("y1", "y2")) {
                Map<String, String> value = cells.get(column++);
                assertThat(Double.parseDouble(value.get("value")))
                        .isEqualTo(first(comparison, model + ".tasks." + task + ".value.mean"));
                assertThat(Double.parseDouble(value.get("std")))
                        .isEqualTo(first(comparison, model + ".tasks." + task + ".value.std"));
                assertThat(value.get("text"))
                        .isEqualTo(String.format(
                                java.util.Locale.ROOT,
                                "%.4f ± %.4f",
                                Double.parseDouble(value.get("value")),
                                Double.parseDouble(value.get("std"))));
                Map<String, String> gain = cells.get(column++);
                if ("single".equals(row.get("model"))) {
                    assertThat(gain.get("value")).isNull();
                    continue;
                }
                double mean = first(comparison, model + ".tasks." + task + ".gain.mean");
                assertThat(Double.parseDouble(gain.get("value"))).isEqualTo(mean);
                assertThat(Double.parseDouble(gain.get("std")))
                        .isEqualTo(first(comparison, model + ".tasks." + task + ".gain.std"));
                String call = JsonPath.<List<String>>read(comparison, model + ".tasks." + task + ".call")
                        .get(0);
                assertThat(gain.get("call")).isEqualTo(call);
                assertThat(gain.get("css"))
                        .contains(
                                switch (call) {
                                    case "BETTER" -> "gain-positive";
                                    case "WORSE" -> "gain-negative";
                                    default -> "gain-none";
                                });
                assertThat(gain.get("text"))
                        .isEqualTo(String.format(
                                java.util.Locale.ROOT,
                                "%+.4f [%+.4f, %+.4f] %s",
                                mean,
                                first(comparison, model + ".tasks." + task + ".gain.ci.low"),
                                first(comparison, model + ".tasks." + task + ".gain.ci.high"),
                                Map.of("BETTER", "↑", "WORSE", "↓", "NO_CHANGE", "=")
                                        .get(call)));
            }
            String verdict = JsonPath.<List<String>>read(comparison, model + ".verdict").stream()
                    .findFirst()
                    .orElse("");
            assertThat(cells.get(cells.size() - 1).get("value")).isEqualTo(verdict);
            if (!"single".equals(row.get("model"))) {
                assertThat(verdict).as("two seeds are too few for a verdict").isEqualTo("INCONCLUSIVE");
            }
        }
    }

    private void utilizationChartHasOneBarPerExpertPerGate(String report) {
        List<Map<String, Object>> all = JsonPath.read(report, "$.models[*]");
        List<String> models = all.stream()
                .filter(m -> !((List<?>) m.get("gates")).isEmpty())
                .map(m -> (String) m.get("model"))
                .toList();
        assertThat(models).containsExactly("mmoe", "ple");
        for (String model : models) {
            new Select(field("utilization-model")).selectByValue(model);
            List<Map<String, Object>> bars = script("""
                    const option = echarts.getInstanceByDom(document.getElementById('utilization-chart')).getOption();
                    return option.series.filter(s => s.type === 'bar')
                        .map(s => ({gate: s.name, experts: s.data.map(d => d.name), means: s.data.map(d => d.value)}));""");
            String gates = "$.models[?(@.model == '" + model + "')].gates[*]";
            List<Map<String, Object>> expected = JsonPath.read(report, gates);
            assertThat(bars)
                    .extracting(b -> b.get("gate"))
                    .containsExactlyElementsOf(
                            expected.stream().map(g -> g.get("gate")).toList());
            for (int i = 0; i < bars.size(); i++) {
                assertThat(bars.get(i).get("experts")).isEqualTo(expected.get(i).get("experts"));
                @SuppressWarnings("unchecked")
                List<Object> means = (List<Object>) bars.get(i).get("means");
                @SuppressWarnings("unchecked")
                List<Object> apiMeans = (List<Object>) expected.get(i).get("mean");
                assertThat(means).hasSameSizeAs(apiMeans);
                for (int e = 0; e < means.size(); e++) {
                    assertThat(number(means.get(e))).isCloseTo(number(apiMeans.get(e)), within(1e-12));
                }
            }
        }
        assertThat(JsonPath.<List<String>>read(report, "$.models[?(@.model == 'ple')].gates[*].gate"))
                .contains("level1/shared", "level2/task:y1");
    }

    /** With -Dfulcrum.docs.screenshots=DIR: the whole page as DIR/name, for docs/dashboard.md and the README. */
    private void docsScreenshot(String name) {
        String dir = System.getProperty(DOCS_SCREENSHOTS);
        if (dir == null || dir.isBlank()) {
            return;
        }
        Dimension before = browser.manage().window().getSize();
        Number height = script("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(1280, Math.min(4000, height.intValue() + 40)));
        script("window.scrollTo(0, 0); return null;");
        ExperimentFixtures.sleep(500);
        screenshot(Path.of(dir, name));
        browser.manage().window().setSize(before);
    }

    @SuppressWarnings("unchecked")
    private static <T> T script(String js) {
        return (T) ((JavascriptExecutor) browser).executeScript(js);
    }

    private static double first(String json, String path) {
        List<Object> found = JsonPath.read(json, path);
        assertThat(found).as(path).hasSize(1);
        return number(found.get(0));
    }

    static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
