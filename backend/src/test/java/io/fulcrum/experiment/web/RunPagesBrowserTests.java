package io.fulcrum.experiment.web;

import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.experiment.ExperimentFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** A run's page in a real headless Chromium: live curves, cancel, the config diff. */
@FulcrumSpringTest
class RunPagesBrowserTests extends BrowserTest {

    /** Set to a folder to save the run page with its curves there as run.png (for docs/images). */
    static final String DOCS_SCREENSHOTS = "fulcrum.docs.screenshots";

    static final String LONG = """
            {"epochs": 500, "batchSize": 32, "patience": 0}""";

    @Autowired
    MockMvcTester mvc;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    long queue(String training) {
        return fx.create("/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, training, "\"priority\": 100"));
    }

    long lossPoints() {
        Object n = ((JavascriptExecutor) browser)
                .executeScript("const c = echarts.getInstanceByDom(document.getElementById('chart-loss'));"
                        + " const s = c && c.getOption().series;"
                        + " return s && s.length ? s[0].data.length : 0;");
        return ((Number) n).longValue();
    }

    WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void trainingLossGrowsLiveAndTheBadgeTurnsCancelled() {
        long id = queue(LONG);
        fx.awaitRun(id, Duration.ofSeconds(30), inState("RUNNING"));

        open("/runs/" + id);
        ((JavascriptExecutor) browser).executeScript("window.samePage = true");
        waiting(20).until(d -> lossPoints() > 0);
        long first = lossPoints();
        waiting(20).until(d -> lossPoints() > first);

        assertThat(lossPoints()).isGreaterThan(first);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.samePage"))
                .as("updated without a reload")
                .isEqualTo(true);
        assertThat(field("run-state").getText()).isEqualTo("RUNNING");
        assertThat(field("table-loss").getAttribute("textContent")).contains("y1 loss", "y2 loss");
        assertThat(browser.findElements(By.id("retry-run"))).isEmpty();
        assertThat(browser.findElements(By.id("register-model"))).isEmpty();

        click("cancel-run");
        waiting(5).until(ExpectedConditions.alertIsPresent()).accept();

        waiting(20).until(ExpectedConditions.textToBe(By.id("run-state"), "CANCELLED"));
        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Cancelling run " + id);
        assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
        fx.awaitRun(id, Duration.ofSeconds(20), inState("CANCELLED"));
    }

    @Test
    void showsTheFieldsInWhichTwoRunsDiffer() {
        long left = queue("""
                {"epochs": 2, "batchSize": 256, "learningRate": 0.01}""");
        long right = queue("""
                {"epochs": 3, "batchSize": 256, "learningRate": 0.01}""");

        open("/runs/" + left);
        choose("compare", Long.toString(right));
        submit("compare-button");

        assertThat(browser.getCurrentUrl()).endsWith("/runs/" + left + "?compare=" + right);
        var rows = field("config-diff").findElements(By.cssSelector("tbody tr"));
        assertThat(rows).anySatisfy(row -> assertThat(row.getText()).isEqualTo("training.epochs 2 3"));
        assertThat(field("config-diff").getText()).doesNotContain("training.batchSize");
        // the configuration is shown as its structure: parts open at the top, nested sections folded
        WebElement model = field("config").findElement(By.cssSelector(":scope > details[data-part='model']"));
        assertThat(model.getAttribute("open")).isNotNull();
        assertThat(model.findElement(By.cssSelector(".config-value[data-field='architecture']"))
                        .getText())
                .isEqualTo("architecture mmoe");
        List<WebElement> nested = model.findElements(By.cssSelector("details.config-part"));
        assertThat(nested)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.getAttribute("open")).isNull());
        assertThat(field("config")
                        .findElement(By.cssSelector(":scope > details[data-part='training']"))
                        .getText())
                .contains("epochs 2");
    }

    @Test
    void listsRunsByState() {
        long id = queue("""
                {"epochs": 1, "batchSize": 256}""");
        fx.awaitRun(id, Duration.ofSeconds(60), inState("SUCCEEDED"));

        open("/runs?state=SUCCEEDED");

        assertThat(field("runs").getText()).contains("SUCCEEDED").doesNotContain("QUEUED");
        field("runs").findElement(By.linkText(Long.toString(id))).click();
        assertThat(field("run-state").getText()).isEqualTo("SUCCEEDED");
        assertThat(field("test-metrics").getText()).contains("y1", "y2", "MSE");
        assertThat(field("register-model").getAttribute("href")).endsWith("/models/register?runId=" + id);
    }

    /** Not part of the suite (tag "docs" is excluded by default); see docs/dashboard.md. */
    @Test
    @org.junit.jupiter.api.Tag("docs")
    void savesTheRunPageForTheDocs() throws Exception {
        String dir = System.getProperty(DOCS_SCREENSHOTS);
        assumeThat(dir)
                .as("-D" + DOCS_SCREENSHOTS + "=<dir> saves the docs' screenshots")
                .isNotBlank();
        long id = fx.create("/api/runs", fx.run("""
                {"architecture": "ple", "levels": 2, "experts": {"shared": 2, "perTask": 1, "units": [16]}, "towerUnits": [8]}""", """
                {"epochs": 12, "batchSize": 64, "learningRate": 0.005, "patience": 0}""", "\"priority\": 100"));
        fx.awaitRun(id, Duration.ofSeconds(120), inState("SUCCEEDED"));

        open("/runs/" + id);
        waiting(20).until(d -> lossPoints() > 0);
        Thread.sleep(500);

        screenshotWholePage(Path.of(dir, "run.png"));
    }
}
