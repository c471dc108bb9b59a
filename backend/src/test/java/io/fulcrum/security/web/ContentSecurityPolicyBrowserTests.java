package io.fulcrum.security.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages work under the Content-Security-Policy: Chromium enforces it and reports every refused
 * inline script, inline style or eval in its console, which this test reads after each page.
 */
@FulcrumSpringTest
class ContentSecurityPolicyBrowserTests extends BrowserTest {

    static final List<String> PAGES = List.of(
            "/overview",
            "/studies",
            "/studies/new",
            "/runs",
            "/models",
            "/ab-experiments",
            "/ab-experiments/new",
            "/task-groups",
            "/task-groups/new",
            "/datasets",
            "/datasets/new",
            "/schedules",
            "/workers",
            "/account",
            "/account/password",
            "/admin/users",
            "/admin/tokens",
            "/admin/audit",
            "/sign-in");

    /** The console's messages since it was last read. */
    List<String> console() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
    }

    static List<String> violations(List<String> messages) {
        return messages.stream()
                .filter(m -> m.contains("Content Security Policy") || m.contains("Uncaught"))
                .toList();
    }

    void waitUntilLoaded() {
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    @Test
    void theMainPagesRaiseNoViolation() {
        console();
        for (String page : PAGES) {
            open(page);
            waitUntilLoaded();
            assertThat(violations(console())).as("console of %s", page).isEmpty();
        }
    }

    @Test
    void aChartAndItsTooltipRaiseNoViolation() {
        open("/schedules/new");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                .executeScript("const c = echarts.getInstanceByDom(document.getElementById('preview-chart'));"
                        + " return !!(c && c.getOption().series && c.getOption().series.length);")));
        console();

        // an axis tooltip follows the pointer across the plot, and is asked for directly as well
        new Actions(browser)
                .moveToElement(field("preview-chart"))
                .pause(Duration.ofMillis(300))
                .moveByOffset(40, 10)
                .pause(Duration.ofMillis(300))
                .perform();
        ((JavascriptExecutor) browser)
                .executeScript("echarts.getInstanceByDom(document.getElementById('preview-chart'))"
                        + ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 3});");
        new Actions(browser).pause(Duration.ofMillis(500)).perform();

        assertThat(violations(console())).isEmpty();
    }

    /** Swagger UI applies inline styles, so its pages alone get a policy that allows them. */
    @Test
    void swaggerUiRendersUnderItsOwnPolicy() {
        open("/swagger-ui/index.html");
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".swagger-ui .info .title")));

        assertThat(browser.findElement(By.cssSelector(".swagger-ui .info .title"))
                        .getText())
                .contains("Fulcrum");
        assertThat(violations(console())).isEmpty();
    }

    @Test
    void theConsoleWouldShowAViolation() {
        // the control: an inline style attribute is refused and reported, so silence above means none
        open("/overview");
        waitUntilLoaded();
        console();

        ((JavascriptExecutor) browser)
                .executeScript("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')");

        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> !violations(console()).isEmpty());
    }
}
