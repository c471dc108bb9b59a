package io.fulcrum.schedule.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The schedule editor in a real headless Chromium: live preview, errors next to fields, versions. */
@FulcrumSpringTest
class SchedulePagesBrowserTests extends BrowserTest {

    /** The preview chart's last weight of task k, or null before it has drawn. */
    Double lastWeight(int task) {
        Object value = ((JavascriptExecutor) browser)
                .executeScript(
                        "const c = echarts.getInstanceByDom(document.getElementById('preview-chart'));"
                                + " if (!c || !c.getOption().series || c.getOption().series.length <= arguments[0]) return null;"
                                + " const d = c.getOption().series[arguments[0]].data; return d[d.length - 1][1];",
                        task);
        return value == null ? null : ((Number) value).doubleValue();
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @Test
    void previewFollowsTheWeightsAsTheyAreTyped() {
        open("/schedules/new");
        waiting().until(d -> lastWeight(1) != null);
        assertThat(lastWeight(1)).isCloseTo(Math.pow(0.9, 9), org.assertj.core.data.Offset.offset(1e-4));

        type("gamma", "1, 0.5");

        waiting().until(d -> lastWeight(1) != null && lastWeight(1) < 0.01);
        assertThat(lastWeight(0)).isEqualTo(1.0);
        assertThat(field("preview-table").getAttribute("textContent")).contains("task1", "task2");
    }

    @Test
    void showsABadValueNextToItsFieldLiveAndOnSave() {
        open("/schedules/new");
        waiting().until(d -> lastWeight(1) != null);

        type("gamma", "1, 5");
        waiting().until(d -> !errorNextTo("gamma").isEmpty());
        assertThat(errorNextTo("gamma")).contains("at most 2.0");
        assertThat(errorNextTo("initial")).isEmpty();

        type("name", "");
        submit("save");

        assertThat(field("form-errors").getText()).contains("Please correct the highlighted fields.");
        assertThat(errorNextTo("name")).isEqualTo("must not be blank");
        assertThat(errorNextTo("gamma")).contains("at most 2.0");
        assertThat(field("gamma").getAttribute("value")).isEqualTo("1, 5");
    }

    @Test
    void createsAScheduleAndSavesAnEditAsANewVersion() {
        String name = "warm-" + UUID.randomUUID().toString().substring(0, 6);
        open("/schedules");
        submit("new-schedule");
        type("name", name);
        type("description", "ramp the second task");
        choose("type", "warmup");
        type("start", "1, 0");
        type("target", "1, 1");
        type("length", "200");
        submit("save");

        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Schedule '" + name + "' created (version 1)");
        assertThat(field("type").getAttribute("value")).isEqualTo("warmup");
        assertThat(field("length").getAttribute("value")).isEqualTo("200");
        waiting().until(d -> lastWeight(1) != null);
        assertThat(field("preview-status").getText()).contains("one per step");

        type("length", "400");
        submit("save");

        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Schedule '" + name + "' saved (version 2)");
        assertThat(field("schedule-versions").getText()).contains("1 warmup", "2 warmup");
        open("/schedules");
        assertThat(field("schedules").getText()).contains(name);
    }
}
