package io.fulcrum.security.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.AuditTrail;
import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.security.AuditLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit log page in a real headless Chromium, signed in as the admin. */
@FulcrumSpringTest
class AuditPageBrowserTests extends BrowserTest {

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void filtersPagesAndShowsBeforeAndAfterAsJson() {
        String actor = AuditTrail.actor("pager");
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < 27; i++) {
                audit.recordAs(actor, "gadget.update", "gadget/" + i, null, Map.of("size", i), Map.of("size", i + 1));
            }
            audit.recordAs(actor, "gadget.delete", "gadget/0", "worn out", Map.of("size", 1), null);
        });

        open("/admin/audit");
        assertThat(browser.getTitle()).isEqualTo("Audit log · Fulcrum");
        type("actor", actor);
        submit("filter");

        assertThat(rows()).hasSize(25);
        assertThat(rows().get(0).getText()).contains(actor, "gadget.delete", "gadget/0", "worn out");
        assertThat(browser.findElement(By.cssSelector("nav.pager")).getText()).contains("Page 1 of 2");
        submit("audit-next");
        assertThat(rows()).hasSize(3);
        assertThat(rows().get(2).getText()).contains("gadget.update", "gadget/0");

        type("action", "gadget.del");
        submit("filter");
        assertThat(rows()).hasSize(1);
        WebElement deleted = rows().get(0);
        assertThat(deleted.findElement(By.className("audit-before")).isDisplayed())
                .isFalse();
        deleted.findElement(By.tagName("summary")).click();
        assertThat(deleted.findElement(By.className("audit-before")).getText())
                .contains("\"size\" : 1")
                .contains("\n");
        assertThat(deleted.findElement(By.className("audit-after")).getText()).isEqualTo("(none)");

        submit("clear-filter");
        type("target", "gadget/5");
        type("actor", actor);
        submit("filter");
        assertThat(rows()).hasSize(1);
        assertThat(rows().get(0).getText()).contains("gadget.update");
    }

    @Test
    void showsAChangeMadeInTheDashboardWithItsUser() {
        long worker = jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, gpu_names, labels,"
                        + " concurrency, state, started_at, heartbeat_at)"
                        + " VALUES ('audit-page-node', 'audit-box', 'test', 1, 1073741824, 0, '[]', '[\"audit-only\"]',"
                        + " 1, 'ACTIVE', now(), now()) RETURNING id",
                Long.class);
        try {
            open("/workers");
            click("drain-" + worker);
            new WebDriverWait(browser, Duration.ofSeconds(5))
                    .until(ExpectedConditions.alertIsPresent())
                    .accept();
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".flash.success")));

            open("/admin/audit?target=worker/" + worker);
            assertThat(rows()).hasSize(1);
            WebElement row = rows().get(0);
            assertThat(row.findElement(By.className("audit-actor")).getText()).isEqualTo("admin");
            assertThat(row.findElement(By.className("audit-action")).getText()).isEqualTo("worker.drain");
            row.findElement(By.tagName("summary")).click();
            assertThat(row.findElement(By.className("audit-before")).getText()).contains("ACTIVE");
            assertThat(row.findElement(By.className("audit-after")).getText()).contains("DRAINING");
        } finally {
            jdbc.update("UPDATE worker SET state = 'STOPPED', stopped_at = now() WHERE id = ?", worker);
        }
    }

    private List<WebElement> rows() {
        field("audit");
        return browser.findElements(By.cssSelector("#audit tr.audit-entry"));
    }
}
