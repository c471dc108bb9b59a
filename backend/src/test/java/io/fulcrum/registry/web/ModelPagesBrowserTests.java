package io.fulcrum.registry.web;

import static io.fulcrum.experiment.ExperimentFixtures.inState;
import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.experiment.ExperimentFixtures;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The model registry's pages in a real headless Chromium: register a run, set an alias, see the errors. */
@FulcrumSpringTest
class ModelPagesBrowserTests extends BrowserTest {

    @Autowired
    MockMvcTester mvc;

    ExperimentFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
    }

    long succeededRun() {
        long id = fx.create(
                "/api/runs", fx.run(ExperimentFixtures.SMALL_MMOE, ExperimentFixtures.QUICK, "\"priority\": 100"));
        fx.awaitRun(id, Duration.ofSeconds(60), inState("SUCCEEDED"));
        return id;
    }

    /** The page's URL without the session id the server appends before the browser has its cookie. */
    String currentPath() {
        return browser.getCurrentUrl().replaceAll(";jsessionid=[^?#]*", "");
    }

    String flash() {
        return browser.findElement(By.cssSelector(".flash.success")).getText();
    }

    @Test
    void registersARunAndPointsChampionAtIt() {
        long run = succeededRun();
        String name = ExperimentFixtures.unique("ranker");

        open("/models/register?runId=" + run);
        assertThat(field("runId").getAttribute("value")).isEqualTo(Long.toString(run));
        type("name", name);
        type("description", "small MMoE");
        submit("register");

        assertThat(currentPath()).endsWith("/models/" + name + "/versions/1");
        assertThat(flash()).isEqualTo("Run " + run + " is version 1 of model '" + name + "'");
        assertThat(field("version-title").getText()).isEqualTo(name + " v1");
        assertThat(field("version-metrics").getText()).contains("y1", "y2", "MSE");
        assertThat(field("lineage-run").getAttribute("href")).endsWith("/runs/" + run);
        assertThat(field("version-artifact").getText()).contains("bytes");
        assertThat(field("download-artifact").getAttribute("href"))
                .endsWith("/api/models/" + name + "/versions/1/artifact");

        submit("model-link");
        assertThat(field("aliases-empty").isDisplayed()).isTrue();
        type("alias", "champion");
        choose("version", "1");
        type("reason", "first one");
        submit("set-alias");

        assertThat(currentPath()).endsWith("/models/" + name);
        assertThat(flash()).isEqualTo("Alias 'champion' points at version 1");
        assertThat(field("alias-champion").getText()).contains("champion", "v1");
        assertThat(field("version-1").getText()).contains("champion", Long.toString(run));
        assertThat(field("alias-history").getText()).contains("champion — → v1 admin", "first one");

        open("/models");
        assertThat(field("model-" + name).getText()).contains("v1", "champion → v1", "y1 MSE");
    }

    @Test
    void showsWhyAnAliasOrARegistrationIsRefusedNextToItsField() {
        long run = succeededRun();
        String name = ExperimentFixtures.unique("ranker");
        fx.post("/api/models/" + name + "/versions", "{\"runId\": " + run + "}");

        open("/models/" + name);
        type("alias", "latest");
        submit("set-alias");
        assertThat(errorNextTo("alias")).contains("'latest' always means the newest version");
        assertThat(field("form-errors").isDisplayed()).isTrue();

        long queued = fx.create(
                "/api/runs",
                fx.run(
                        ExperimentFixtures.SMALL_MMOE,
                        ExperimentFixtures.QUICK,
                        "\"resources\": {\"device\": \"gpu\", \"gpuCount\": 1, \"workerLabels\": [\"no-such-label\"]}"));
        try {
            open("/models/register?runId=" + queued);
            type("name", name);
            submit("register");
            assertThat(errorNextTo("runId")).contains("only SUCCEEDED runs can be registered");

            type("runId", Long.toString(run));
            submit("register");
            assertThat(errorNextTo("runId")).isEqualTo("is already a version of this model");

            type("name", "-bad name");
            submit("register");
            assertThat(errorNextTo("name")).contains("may contain only letters");
        } finally {
            fx.post("/api/runs/" + queued + "/cancel", "");
        }
    }
}
