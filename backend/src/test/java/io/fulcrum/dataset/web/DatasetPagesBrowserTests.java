package io.fulcrum.dataset.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.SharedData;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The import wizard and the dataset page, in a real headless Chromium. */
@FulcrumSpringTest
class DatasetPagesBrowserTests extends BrowserTest {

    @Test
    void importsAFileThroughTheWizardAndShowsItsProfile() {
        String name = "ali-ccp " + UUID.randomUUID().toString().substring(0, 6);
        open("/datasets");
        click("new-dataset");
        type("name", name);
        type("path", SharedData.file("ali-ccp-sample/ali_ccp_train_sample.csv").toString());
        submit("next");

        assertThat(field("file-preview").findElements(By.cssSelector("tbody tr")))
                .hasSize(10);
        assertThat(new Select(field("columns0.role")).getFirstSelectedOption().getText())
                .isEqualTo("LABEL");
        assertThat(new Select(field("columns1.role")).getFirstSelectedOption().getText())
                .isEqualTo("LABEL");
        type("train", "0.6");
        type("validation", "0.2");
        type("test", "0.2");
        submit("import");

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("dataset-name")));
        assertThat(field("dataset-name").getText()).isEqualTo(name);
        assertThat(field("dataset-summary").getText()).startsWith("FILE, 100 rows:");
        assertThat(field("labels").getText()).contains("click", "purchase");
        assertThat(field("label-pairs").getText()).contains("click purchase");
    }

    @Test
    void showsSourceErrorsNextToTheirFields() {
        open("/datasets/new");
        // inside an allowed root (the test profile allows the temporary directory), but not there
        type(
                "path",
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "no", "such", "file.csv")
                        .toString());
        type("delimiter", ";;");
        submit("next");

        assertThat(errorNextTo("name")).isEqualTo("must not be blank");
        assertThat(errorNextTo("path")).startsWith("is not a file the server can read");
        assertThat(errorNextTo("delimiter")).isEqualTo("must be one character, or \\t for a tab");
    }

    @Test
    void reportsBadLinesOnTheProgressPage() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bad", ".csv");
        java.nio.file.Files.writeString(file, "click,price\n1,2.0\n0,3.0\n1,cheap\n");
        open("/datasets/new");
        type("name", "bad " + UUID.randomUUID().toString().substring(0, 6));
        type("path", file.toString());
        submit("next");
        choose("columns1.role", "DENSE");
        submit("import");

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("import-errors")));
        assertThat(field("import-state").getText()).isEqualTo("FAILED");
        assertThat(field("import-errors").getText()).contains("file: line 4, column price: 'cheap' is not a number");
    }

    @Test
    void generatesASyntheticDatasetFromTheWizard() {
        String name = "syn " + UUID.randomUUID().toString().substring(0, 6);
        open("/datasets/new");
        type("name", name);
        new Select(field("kind")).selectByValue("SYNTHETIC");
        type("correlation", "0.7");
        type("samples", "2000");
        type("dimension", "8");
        submit("next");

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("dataset-name")));
        assertThat(field("dataset-name").getText()).isEqualTo(name);
        assertThat(field("dataset-summary").getText()).startsWith("SYNTHETIC, 2,000 rows:");
        assertThat(field("labels").getText()).contains("y1", "y2");
    }

    @Test
    void showsASyntheticSpecsErrorNextToItsField() {
        open("/datasets/new");
        type("name", "syn-bad");
        new Select(field("kind")).selectByValue("SYNTHETIC");
        type("correlation", "1.5");
        submit("next");

        assertThat(errorNextTo("correlation")).isNotBlank();
    }
}
