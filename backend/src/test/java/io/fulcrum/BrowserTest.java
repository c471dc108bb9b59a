package io.fulcrum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A page test in a real headless Chromium, with the few moves a person makes on a form. A failed test
 * leaves a screenshot of the page under {@code target/screenshots/}.
 */
@ExtendWith(BrowserTest.ScreenshotOnFailure.class)
public abstract class BrowserTest {

    protected static WebDriver browser;

    @LocalServerPort
    protected int port;

    private static boolean signedIn;

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start();
        signedIn = false;
    }

    /** Every page needs a signed-in user: each test class's browser signs in as the admin once. */
    @BeforeEach
    void signInOnce() {
        if (!signedIn) {
            signIn(TestSecurity.ADMIN, TestSecurity.ADMIN_PASSWORD);
            signedIn = true;
        }
    }

    protected void signIn(String username, String password) {
        open("/sign-in");
        type("username", username);
        type("password", password);
        submit("sign-in");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    protected void open(String path) {
        browser.get("http://localhost:" + port + path);
    }

    /**
     * The element with this id, waiting up to 10 s for it: after a form posts, the next page may still
     * be loading when the test looks for it.
     */
    protected WebElement field(String id) {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    protected void type(String id, String text) {
        WebElement input = field(id);
        input.clear();
        input.sendKeys(text);
    }

    protected void choose(String id, String value) {
        new Select(field(id)).selectByValue(value);
    }

    protected void click(String id) {
        field(id).click();
    }

    /**
     * Clicks a button or link that loads another page (a form post, a redirect, a link) and waits until
     * the browser has left the current one, so what the test reads next is the new page.
     */
    protected void submit(String id) {
        WebElement page = browser.findElement(By.tagName("html"));
        field(id).click();
        // while the old document is torn down, Chrome can answer a query on its element with a plain
        // "does not belong to the document" error instead of a stale one: ask again until it says stale
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class)
                .until(ExpectedConditions.stalenessOf(page));
    }

    /** The error shown right below the input with this id, or "" when there is none. */
    protected String errorNextTo(String id) {
        List<WebElement> errors = field(id).findElement(By.xpath("..")).findElements(By.className("field-error"));
        return errors.isEmpty() ? "" : errors.get(0).getText();
    }

    /** Saves the browser's page as PNG, e.g. for the docs; creates the folder. */
    protected static void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException("could not save " + file, e);
        }
    }

    /** Saves the whole page, taller than the window, as the docs' images show it. */
    protected static void screenshotWholePage(Path file) {
        Dimension before = browser.manage().window().getSize();
        Number height =
                (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(before.getWidth(), height.intValue() + 120));
        try {
            screenshot(file);
        } finally {
            browser.manage().window().setSize(before);
        }
    }

    /** Keeps what the page looked like when a test failed; every browser test has it through this class. */
    static final class ScreenshotOnFailure implements TestWatcher {

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser == null) {
                return;
            }
            String name = context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName() + ".png";
            try {
                screenshot(Path.of("target", "screenshots", name));
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
