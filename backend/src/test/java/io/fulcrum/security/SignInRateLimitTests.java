package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.security.internal.SignInLimits;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Failed sign-ins through the real form login lock a user name or a client address for a while. */
@FulcrumSpringTest
class SignInRateLimitTests {

    static final String PASSWORD = "correct horse battery";
    static final String LOCKED = "/sign-in?error&locked=15";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    UserAccounts users;

    /** The test profile allows more failures per address than the default 20: the suite shares 127.0.0.1. */
    @Autowired
    SignInLimits limits;

    /** A fresh user, so that no other test's failures count against it. */
    String newUser() {
        String name = "throttle-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, PASSWORD, "VIEWER", false);
        return name;
    }

    /** An address no other test signs in from. */
    static String newAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "." + random.nextInt(1, 255);
    }

    MvcTestResult signIn(String username, String password, String address) {
        return mvc.post()
                .uri("/sign-in")
                .param("username", username)
                .param("password", password)
                .with(anonymous())
                .with(csrf())
                .with(request -> {
                    request.setRemoteAddr(address);
                    return request;
                })
                .exchange();
    }

    String redirect(MvcTestResult result) {
        return result.getResponse().getRedirectedUrl();
    }

    @Test
    void fiveFailuresLockTheUserNameSoEvenTheRightPasswordIsRefused() {
        String user = newUser();
        String address = newAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(redirect(signIn(user, "wrong password " + i, address))).isEqualTo("/sign-in?error");
        }

        MvcTestResult refused = signIn(user, PASSWORD, address);

        assertThat(redirect(refused)).isEqualTo(LOCKED);
        assertThat(refused.getRequest().getSession(false) == null
                        || refused.getRequest().getSession(false).getAttribute("SPRING_SECURITY_CONTEXT") == null)
                .as("not signed in")
                .isTrue();
        // from another address too: the lock is on the name
        assertThat(redirect(signIn(user, PASSWORD, newAddress()))).isEqualTo(LOCKED);
    }

    @Test
    void theUserNameIsCountedWhateverItsCase() {
        String user = newUser();
        for (int i = 0; i < 5; i++) {
            signIn(i % 2 == 0 ? user.toUpperCase() : user, "wrong", newAddress());
        }

        assertThat(redirect(signIn(user, PASSWORD, newAddress()))).isEqualTo(LOCKED);
    }

    @Test
    void aSuccessfulSignInResetsTheUserNamesCount() {
        String user = newUser();
        String address = newAddress();
        for (int i = 0; i < 4; i++) {
            signIn(user, "wrong", address);
        }
        assertThat(redirect(signIn(user, PASSWORD, address))).isEqualTo("/");

        for (int i = 0; i < 4; i++) {
            signIn(user, "wrong", address);
        }

        assertThat(redirect(signIn(user, PASSWORD, address))).isEqualTo("/");
    }

    @Test
    void enoughFailuresFromOneAddressLockItForEveryUserName() {
        String user = newUser();
        String address = newAddress();
        for (int i = 0; i < limits.maxFailuresPerAddress(); i++) {
            signIn("nobody-" + UUID.randomUUID(), "wrong", address);
        }

        assertThat(redirect(signIn(user, PASSWORD, address))).isEqualTo(LOCKED);
        assertThat(redirect(signIn(user, PASSWORD, newAddress()))).isEqualTo("/");
    }

    @Test
    void theSignInPageSaysHowLongToWait() {
        MvcTestResult page =
                mvc.get().uri("/sign-in?error&locked=15").with(anonymous()).exchange();

        assertThat(page).bodyText().contains("Too many failed attempts, try again in 15 minutes.");
    }

    @Test
    void theSignInPageShowsOnlyAPlausibleWait() {
        MvcTestResult page = mvc.get()
                .uri("/sign-in?error&locked=<b>soon</b>")
                .with(anonymous())
                .exchange();

        assertThat(page).bodyText().contains("Wrong user name or password.").doesNotContain("soon");
    }
}
