package io.fulcrum.experiment.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/** Saves what the browser showed when a page test failed, as backend/target/screenshots/Class-method.png. */
public final class ScreenshotOnFailure implements TestWatcher {

    private final Supplier<WebDriver> browser;

    public ScreenshotOnFailure(Supplier<WebDriver> browser) {
        this.browser = browser;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        WebDriver driver = browser.get();
        if (!(driver instanceof TakesScreenshot camera)) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            String name = context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName() + ".png";
            Files.copy(
                    camera.getScreenshotAs(OutputType.FILE).toPath(),
                    dir.resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Saves the whole page (the window grown to its height) as {@code file}. */
    public static void savePage(WebDriver driver, Path file) throws IOException {
        org.openqa.selenium.Dimension before = driver.manage().window().getSize();
        Number height = (Number) ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(before.getWidth(), height.intValue() + 120));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
                    file,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(before);
        }
    }
}
