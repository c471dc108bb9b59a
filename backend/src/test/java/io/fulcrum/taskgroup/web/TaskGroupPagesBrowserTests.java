package io.fulcrum.taskgroup.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The task-group pages driven the way a person uses them, in a real headless Chromium. */
@FulcrumSpringTest
class TaskGroupPagesBrowserTests extends BrowserTest {

    @Test
    void listsTheSeededTaskGroups() {
        open("/task-groups");

        assertThat(browser.getTitle()).isEqualTo("Task groups · Fulcrum");
        assertThat(field("task-groups").getText()).contains("VTR+VCR+SHR+CMR", "Census-income", "Synthetic");
    }

    @Test
    void showsEveryErrorNextToItsField() {
        open("/task-groups/new");
        type("tasks0.name", "ctr");
        type("tasks0.labelColumn", "click");
        type("tasks0.initialWeight", "heavy");
        type("tasks1.name", "ctr");
        choose("tasks1.loss", "MSE");
        choose("tasks1.sampleSpaceType", "TASK");
        type("tasks1.sampleSpaceName", "purchase");
        type("tasks1.updateRatio", "0");

        submit("save");

        assertThat(field("form-errors").getText()).contains("Please correct the highlighted fields.");
        assertThat(errorNextTo("name")).isEqualTo("must not be blank");
        assertThat(errorNextTo("tasks0.initialWeight")).isEqualTo("must be a number");
        assertThat(errorNextTo("tasks0.name")).isEmpty();
        assertThat(errorNextTo("tasks1.name")).isEqualTo("'ctr' is already the name of tasks[0]");
        assertThat(errorNextTo("tasks1.labelColumn")).isEqualTo("must not be blank");
        assertThat(errorNextTo("tasks1.loss")).isEqualTo("MSE does not fit a BINARY task; use BCE");
        assertThat(errorNextTo("tasks1.sampleSpaceName")).isEqualTo("names no task of this group: 'purchase'");
        assertThat(errorNextTo("tasks1.updateRatio")).isEqualTo("must be a finite number greater than 0");
        assertThat(field("tasks1.sampleSpaceName").getAttribute("value")).isEqualTo("purchase");
    }

    @Test
    void createsEditsAndDeletesATaskGroup() {
        String name = "Taobao " + UUID.randomUUID().toString().substring(0, 6);
        open("/task-groups");
        submit("new-task-group");
        type("name", name);
        type("description", "click then purchase");
        type("tasks0.name", "ctr");
        type("tasks0.labelColumn", "click");
        type("tasks1.name", "cvr");
        type("tasks1.labelColumn", "purchase");
        choose("tasks1.sampleSpaceType", "TASK");
        type("tasks1.sampleSpaceName", "ctr");

        submit("add-task");
        assertThat(field("tasks1.sampleSpaceName").getAttribute("value")).isEqualTo("ctr");
        type("tasks2.name", "gmv");
        choose("tasks2.kind", "REGRESSION");
        type("tasks2.labelColumn", "order_value");
        type("tasks2.initialWeight", "0.5");
        submit("save");

        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Task group '" + name + "' created");
        assertThat(field("group-name").getText()).isEqualTo(name);
        assertThat(field("tasks").getText()).contains("ctr = 1", "order_value", "0.5");
        assertThat(field("tasks").findElements(By.cssSelector("tbody tr"))).hasSize(3);

        submit("edit-task-group");
        type("name", name + " v2");
        submit("remove-task-2");
        // removing a task posts the form and renders it again: wait for the new page, not the old one
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> d.findElements(By.cssSelector("fieldset.task")).size() == 2);
        submit("save");

        assertThat(field("group-name").getText()).isEqualTo(name + " v2");
        assertThat(field("tasks").findElements(By.cssSelector("tbody tr"))).hasSize(2);

        click("delete-task-group");
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(ExpectedConditions.alertIsPresent())
                .accept();

        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.urlMatches(".*/task-groups$"));
        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Deleted task group '" + name + " v2'");
        assertThat(field("task-groups").getText()).doesNotContain(name);
    }
}
