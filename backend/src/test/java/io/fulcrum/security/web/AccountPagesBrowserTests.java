package io.fulcrum.security.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.security.Role;
import io.fulcrum.security.UserAccount;
import io.fulcrum.security.UserAccounts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/** Signing in and out, the forced password change, personal tokens, in a real headless Chromium. */
@FulcrumSpringTest
class AccountPagesBrowserTests extends BrowserTest {

    static final String PASSWORD = "a-long-enough-password";

    @Autowired
    UserAccounts users;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    UserAccount user(Role role) {
        return users.create(unique(role.name().toLowerCase()), PASSWORD, role.name(), false);
    }

    boolean shows(String id) {
        return !browser.findElements(By.id(id)).isEmpty();
    }

    String path() {
        return browser.getCurrentUrl().replaceFirst("^http://localhost:\\d+", "");
    }

    void acceptConfirm() {
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.switchTo().alert().accept();
    }

    @Test
    void aWrongPasswordIsRefusedWithAnError() {
        UserAccount user = user(Role.VIEWER);

        signIn(user.username(), "not-the-password");

        assertThat(path()).isEqualTo("/sign-in?error");
        assertThat(field("sign-in-error").getText()).isEqualTo("Wrong user name or password.");
    }

    @Test
    void aViewerSeesNoButtonOfWhatTheyMayNotDo() {
        UserAccount viewer = user(Role.VIEWER);
        signIn(viewer.username(), PASSWORD);

        open("/task-groups");
        assertThat(field("task-groups").getText()).contains("Census-income");
        assertThat(shows("new-task-group")).isFalse();
        browser.findElement(By.linkText("Census-income")).click();
        assertThat(field("group-name").getText()).isEqualTo("Census-income");
        assertThat(shows("edit-task-group")).isFalse();
        assertThat(shows("delete-task-group")).isFalse();

        open("/ab-experiments");
        assertThat(shows("ab-filter")).isTrue();
        assertThat(shows("new-ab")).isFalse();
        for (String page : new String[] {"/studies", "/datasets", "/schedules", "/overview"}) {
            open(page);
            assertThat(browser.findElements(By.cssSelector("main a[href$='/new'], main form[method='post'] button")))
                    .as(page)
                    .isEmpty();
        }
        assertThat(field("account-link").getText()).isEqualTo(viewer.username() + " (VIEWER)");
        assertThat(shows("nav-admin-users")).isFalse();
    }

    @Test
    void anEngineerCreatesButDoesNotRollOut() {
        UserAccount engineer = user(Role.ENGINEER);
        signIn(engineer.username(), PASSWORD);

        open("/task-groups");
        assertThat(shows("new-task-group")).isTrue();
        open("/ab-experiments");
        assertThat(shows("new-ab")).isFalse();
        assertThat(shows("nav-admin-tokens")).isFalse();
    }

    @Test
    void aNewUserMustChangeThePasswordAndThenLandsOnTheDashboard() {
        UserAccount newcomer = users.create(unique("newcomer"), PASSWORD, "ENGINEER", true);
        signIn(newcomer.username(), PASSWORD);

        assertThat(path()).isEqualTo("/account/password");
        assertThat(field("must-change").getText()).contains("choose your own password");
        open("/runs");
        assertThat(path()).as("every page leads back here").isEqualTo("/account/password");

        type("currentPassword", PASSWORD);
        type("newPassword", "my-own-password-1");
        type("repeatPassword", "my-own-password-2");
        submit("change-password");
        assertThat(errorNextTo("repeatPassword")).isEqualTo("does not match the new password");
        assertThat(field("currentPassword").getAttribute("value"))
                .as("never sent back")
                .isEmpty();

        type("currentPassword", PASSWORD);
        type("newPassword", "my-own-password-1");
        type("repeatPassword", "my-own-password-1");
        submit("change-password");

        assertThat(path()).isEqualTo("/overview");
        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Your password was changed");
        open("/runs");
        assertThat(path()).isEqualTo("/runs");
    }

    @Test
    void changingThePasswordShowsEachErrorNextToItsField() {
        UserAccount user = user(Role.VIEWER);
        signIn(user.username(), PASSWORD);
        open("/account");

        type("currentPassword", "not-my-password");
        type("newPassword", "short");
        type("repeatPassword", "short");
        submit("change-password");

        assertThat(field("form-errors").getText()).contains("Please correct the highlighted fields.");
        assertThat(errorNextTo("currentPassword")).isEqualTo("is not your current password");
        assertThat(errorNextTo("newPassword")).isEqualTo("must be at least 12 characters");
        assertThat(errorNextTo("repeatPassword")).isEmpty();
    }

    @Test
    void aPersonalTokenShowsItsSecretOnceAndCanBeRevoked() {
        UserAccount engineer = user(Role.ENGINEER);
        signIn(engineer.username(), PASSWORD);
        open("/account");
        assertThat(shows("tokens-empty")).isTrue();

        type("name", "laptop scripts");
        submit("create-token");

        String secret = field("token-secret").getAttribute("value");
        assertThat(secret).startsWith("ful_p_").hasSizeGreaterThan(40);
        assertThat(field("copy-hint").getText()).contains("shown only this once");
        assertThat(field("token-kind").getText()).isEqualTo("PERSONAL");

        submit("token-back");
        assertThat(path()).isEqualTo("/account");
        assertThat(browser.getPageSource()).doesNotContain(secret);
        assertThat(field("tokens").getText()).contains("laptop scripts", secret.substring(0, 10), "ACTIVE");

        browser.findElement(By.cssSelector("#tokens button[id^='revoke-']")).click();
        acceptConfirm();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("tokens"), "REVOKED"));
        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .isEqualTo("Token 'laptop scripts' revoked");
    }

    @Test
    void aTokenWithoutANameIsRefusedNextToTheField() {
        UserAccount user = user(Role.VIEWER);
        signIn(user.username(), PASSWORD);
        open("/account");

        submit("create-token");

        assertThat(errorNextTo("name")).isEqualTo("must be given");
        assertThat(shows("token-secret")).isFalse();
    }

    @Test
    void signingOutEndsTheSession() {
        UserAccount user = user(Role.VIEWER);
        signIn(user.username(), PASSWORD);
        open("/overview");

        submit("sign-out");

        assertThat(path()).isEqualTo("/sign-in?signed-out");
        assertThat(field("signed-out").getText()).isEqualTo("You are signed out.");
        open("/overview");
        assertThat(path()).isEqualTo("/sign-in");
    }

    @Test
    void anAdminCreatesAUserChangesTheRoleAndDisablesThem() {
        signIn(TestSecurity.ADMIN, TestSecurity.ADMIN_PASSWORD);
        open("/overview");
        submit("nav-admin-users");
        String name = unique("carol");

        type("username", name);
        type("password", "short");
        choose("role", "ENGINEER");
        submit("create-user");
        assertThat(errorNextTo("password")).isEqualTo("must be at least 12 characters");
        assertThat(field("username").getAttribute("value")).isEqualTo(name);

        type("password", "first-password-for-carol");
        submit("create-user");
        assertThat(browser.findElement(By.cssSelector(".flash.success")).getText())
                .contains("User '" + name + "' created");
        assertThat(field("user-" + name).getText()).contains("must change password", "Enabled");

        choose("role-" + name, "ADMIN");
        submit("save-role-" + name);
        assertThat(users.find(name).orElseThrow().role()).isEqualTo(Role.ADMIN);

        submit("toggle-" + name);
        assertThat(field("user-" + name).getText()).contains("Disabled");
        assertThat(users.find(name).orElseThrow().enabled()).isFalse();

        type("username", name.toUpperCase());
        type("password", "another-long-password");
        submit("create-user");
        assertThat(errorNextTo("username")).isEqualTo("is taken");
    }

    @Test
    void anAdminCreatesAServingTokenAndRevokesIt() {
        signIn(TestSecurity.ADMIN, TestSecurity.ADMIN_PASSWORD);
        open("/admin/tokens");
        String name = unique("edge");

        type("name", name);
        choose("kind", "SERVING");
        submit("create-token");

        assertThat(field("token-secret").getAttribute("value")).startsWith("ful_s_");
        submit("token-back");
        assertThat(path()).isEqualTo("/admin/tokens");
        var row = browser.findElements(By.cssSelector("#tokens tbody tr")).stream()
                .filter(r -> r.getText().contains(name))
                .findFirst()
                .orElseThrow();
        assertThat(row.getText()).contains("SERVING", TestSecurity.ADMIN, "ACTIVE");
        row.findElement(By.cssSelector("button[id^='revoke-']")).click();
        acceptConfirm();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.className("flash"), "revoked"));
        assertThat(browser.findElements(By.cssSelector("#tokens tbody tr")).stream()
                        .filter(r -> r.getText().contains(name))
                        .findFirst()
                        .orElseThrow()
                        .getText())
                .contains("REVOKED");
    }
}
