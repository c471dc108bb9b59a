package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.IssuedToken;
import io.fulcrum.security.UserAccount;
import io.fulcrum.security.UserAccounts;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** What a worker process's token must be, checked against real tokens in PostgreSQL. */
@FulcrumSpringTest
class WorkerTokenCheckTests {

    @Autowired
    ApiTokens tokens;

    @Autowired
    UserAccounts users;

    @Autowired
    JdbcTemplate jdbc;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    IssuedToken issue(String owner, String kind) {
        return tokens.issue(owner, unique("node"), kind, null, true);
    }

    String problem(String secret) {
        return new WorkerTokenCheck(tokens, secret).problem();
    }

    @Test
    void anActiveWorkerTokenLetsTheWorkerRun() {
        assertThat(problem(issue(TestSecurity.ADMIN, "WORKER").secret())).isNull();
    }

    @Test
    void noTokenSaysHowToGetOne() {
        assertThat(problem("")).contains("needs a WORKER token", "/admin/tokens", "FULCRUM_WORKER_TOKEN");
        assertThat(problem(null)).contains("needs a WORKER token");
    }

    @Test
    void anotherKindOfTokenIsNotEnough() {
        assertThat(problem(issue(TestSecurity.ADMIN, "SERVING").secret())).contains("is a SERVING token");
        assertThat(problem(issue(TestSecurity.ADMIN, "PERSONAL").secret())).contains("is a PERSONAL token");
    }

    @Test
    void anUnknownRevokedOrExpiredTokenStopsTheWorker() {
        IssuedToken revoked = issue(TestSecurity.ADMIN, "WORKER");
        IssuedToken expired = issue(TestSecurity.ADMIN, "WORKER");
        tokens.revoke(revoked.token().id(), TestSecurity.ADMIN, true);
        jdbc.update(
                "UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = ?",
                expired.token().id());
        tokens.forgetCachedTokens();

        assertThat(problem("ful_w_made-up")).contains("unknown, expired or revoked");
        assertThat(problem(revoked.secret())).contains("unknown, expired or revoked");
        assertThat(problem(expired.secret())).contains("unknown, expired or revoked");
    }

    @Test
    void aTokenOfADisabledAdminStopsTheWorker() {
        UserAccount admin = users.create(unique("ops"), "a-long-enough-password", "ADMIN", false);
        IssuedToken token = issue(admin.username(), "WORKER");
        assertThat(problem(token.secret())).isNull();

        users.update(admin.id(), null, false, TestSecurity.ADMIN);

        assertThat(problem(token.secret())).contains("its owner is disabled");
    }

    @Test
    void theSecretNeverShowsInTheSettings() {
        WorkerProperties properties =
                new WorkerProperties(null, "n", null, null, null, null, null, "ful_w_secret", null, null);

        assertThat(properties.toString()).doesNotContain("ful_w_secret").contains("token=(set)");
        assertThat(properties.token()).isEqualTo("ful_w_secret");
    }
}
