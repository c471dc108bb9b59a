package io.fulcrum.worker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The workers page in a real headless Chromium; drains only a fake worker, never the embedded one. */
@FulcrumSpringTest
class WorkerPagesBrowserTests extends BrowserTest {

    @Autowired
    JdbcTemplate jdbc;

    long fakeWorker(String name) {
        return jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, gpu_names, labels,"
                        + " concurrency, state, started_at, heartbeat_at)"
                        + " VALUES (?, 'gpu-box', 'test', 32, 68719476736, 2, '[\"H100\", \"H100\"]',"
                        + " '[\"a100\", \"spot\"]', 2, 'ACTIVE', now(), now() + interval '1 hour') RETURNING id",
                Long.class,
                name);
    }

    @Test
    void listsTheEmbeddedWorker() {
        String embedded = jdbc.queryForObject(
                "SELECT name FROM worker WHERE state = 'ACTIVE' AND host <> 'gpu-box' ORDER BY id DESC LIMIT 1",
                String.class);

        open("/workers");

        assertThat(browser.getTitle()).isEqualTo("Workers · Fulcrum");
        assertThat(field("workers").getText()).contains(embedded, "ACTIVE", "cores", "s ago");
        // the engine it trains with is shown; the embedded worker expected no GPU, so it does not warn
        assertThat(field("workers").getText()).containsPattern("PyTorch \\d+\\.\\d+\\.\\d+ \\((cpu|cuda)\\)");
    }

    @Test
    void aWorkerThatFellBackToTheCpuShowsItsWarning() {
        long id = jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, gpu_names, labels,"
                        + " concurrency, engine, warning, state, started_at, heartbeat_at) VALUES ('cpu-fallback',"
                        + " 'gpu-box', 'test', 4, 1073741824, 0, '[]', '[]', 1, 'PyTorch 2.5.1 (cpu)',"
                        + " 'GPUs were expected, but PyTorch 2.5.1 (cpu) sees none', 'ACTIVE', now(), now()) RETURNING id",
                Long.class);
        try {
            open("/workers");

            assertThat(field("worker-" + id)
                            .findElement(By.cssSelector(".worker-warning"))
                            .getText())
                    .isEqualTo("GPUs were expected, but PyTorch 2.5.1 (cpu) sees none");
        } finally {
            jdbc.update("UPDATE worker SET state = 'STOPPED' WHERE id = ?", id);
        }
    }

    @Test
    void drainsAWorkerAndHidesStoppedOnesUnlessAsked() {
        long id = fakeWorker("fake-gpu-node");
        long stopped = fakeWorker("fake-stopped-node");
        jdbc.update("UPDATE worker SET state = 'STOPPED', stopped_at = now() WHERE id = ?", stopped);
        try {
            open("/workers");
            assertThat(field("worker-" + id).getText())
                    .contains("fake-gpu-node", "32 cores", "64.0 GiB", "2 GPU", "H100", "a100", "spot");
            assertThat(browser.findElements(By.id("worker-" + stopped))).isEmpty();

            click("drain-" + id);
            new WebDriverWait(browser, Duration.ofSeconds(5))
                    .until(ExpectedConditions.alertIsPresent())
                    .accept();

            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".flash.success")));
            assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                    .startsWith("Worker 'fake-gpu-node' is draining");
            assertThat(field("worker-" + id).getText()).contains("DRAINING");
            assertThat(browser.findElements(By.id("drain-" + id))).isEmpty();
            assertThat(jdbc.queryForObject("SELECT state FROM worker WHERE id = ?", String.class, id))
                    .isEqualTo("DRAINING");

            click("toggle-stopped");
            assertThat(field("worker-" + stopped).getText()).contains("STOPPED");
        } finally {
            jdbc.update("UPDATE worker SET state = 'STOPPED', stopped_at = now() WHERE id IN (?, ?)", id, stopped);
        }
    }
}
