package io.fulcrum.security;

import static io.fulcrum.security.SecurityFixtures.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@FulcrumSpringTest
class TokenApiTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UserAccounts users;

    @Autowired
    ApiTokens tokens;

    SecurityFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new SecurityFixtures(users, tokens);
    }

    MvcTestResult create(RequestPostProcessor who, String json) {
        return mvc.post()
                .uri("/api/tokens")
                .with(who)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .exchange();
    }

    long storedTokens() {
        return jdbc.queryForObject("SELECT count(*) FROM api_token", Long.class);
    }

    static RequestPostProcessor as(UserAccount user) {
        return TestSecurity.as(user.username(), user.role().name());
    }

    @Test
    void createsAPersonalTokenByDefaultAndListsItWithoutItsSecret() {
        UserAccount engineer = fx.user(Role.ENGINEER);
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plusDays(7).withNano(0);

        MvcTestResult created = create(as(engineer), """
                {"name": "nightly study", "expiresAt": "%s"}""".formatted(expiry));

        assertThat(created).hasStatus(HttpStatus.CREATED);
        String body = SecurityRulesTests.body(created);
        String secret = JsonPath.read(body, "$.secret");
        int id = JsonPath.read(body, "$.token.id");
        assertThat(created).hasHeader("Location", "/api/tokens/" + id);
        assertThat(created).bodyJson().extractingPath("$.token.kind").isEqualTo("PERSONAL");
        assertThat(created).bodyJson().extractingPath("$.token.owner").isEqualTo(engineer.username());
        assertThat(created).bodyJson().extractingPath("$.token.status").isEqualTo("ACTIVE");
        assertThat(OffsetDateTime.parse(JsonPath.read(body, "$.token.expiresAt"))
                        .toInstant())
                .isEqualTo(expiry.toInstant());
        assertThat(secret).startsWith(JsonPath.<String>read(body, "$.token.prefix"));

        MvcTestResult listed = mvc.get().uri("/api/tokens").with(as(engineer)).exchange();
        assertThat(listed).bodyJson().extractingPath("$[*].id").asArray().containsExactly(id);
        assertThat(SecurityRulesTests.body(listed)).doesNotContain(secret).doesNotContain("secret");

        MvcTestResult whoAmI =
                mvc.get().uri("/api/account").with(bearer(secret)).exchange();
        assertThat(whoAmI).bodyJson().extractingPath("$.username").isEqualTo(engineer.username());
        assertThat(whoAmI).bodyJson().extractingPath("$.role").isEqualTo("ENGINEER");
        assertThat(whoAmI).bodyJson().extractingPath("$.tokenKind").isEqualTo("PERSONAL");
        assertThat(whoAmI).bodyJson().extractingPath("$.tokenName").isEqualTo("nightly study");
        assertThat(mvc.get().uri("/api/tokens").with(as(engineer)))
                .bodyJson()
                .extractingPath("$[0].lastUsedAt")
                .isNotNull();
    }

    @Test
    void saysWhoASignedInUserIs() {
        UserAccount newcomer = fx.newUser(Role.VIEWER);

        MvcTestResult whoAmI = mvc.get().uri("/api/account").with(as(newcomer)).exchange();

        assertThat(whoAmI).bodyJson().extractingPath("$.username").isEqualTo(newcomer.username());
        assertThat(whoAmI).bodyJson().extractingPath("$.role").isEqualTo("VIEWER");
        assertThat(whoAmI).bodyJson().extractingPath("$.passwordChangeRequired").isEqualTo(true);
        assertThat(whoAmI).bodyJson().doesNotHavePath("$.tokenKind");
    }

    @Test
    void anAdminCreatesWorkerAndServingTokensAndListsEveryonesTokens() {
        UserAccount viewer = fx.user(Role.VIEWER);
        String theirs = fx.personalToken(viewer);

        MvcTestResult worker = create(TestSecurity.as(TestSecurity.ADMIN, "ADMIN"), """
                {"name": "gpu-node-1", "kind": "worker"}""");
        MvcTestResult serving = create(TestSecurity.as(TestSecurity.ADMIN, "ADMIN"), """
                {"name": "edge", "kind": "SERVING"}""");

        assertThat(worker).hasStatus(HttpStatus.CREATED);
        assertThat(worker).bodyJson().extractingPath("$.token.kind").isEqualTo("WORKER");
        assertThat(JsonPath.<String>read(SecurityRulesTests.body(worker), "$.secret"))
                .startsWith("ful_w_");
        assertThat(serving).bodyJson().extractingPath("$.token.kind").isEqualTo("SERVING");
        MvcTestResult all = mvc.get().uri("/api/tokens?all=true").exchange();
        assertThat(all).bodyJson().extractingPath("$[*].owner").asArray().contains(viewer.username());
        assertThat(SecurityRulesTests.body(all)).doesNotContain(theirs);
    }

    @Test
    void revokesAnOwnTokenAndAnAdminRevokesAnyone() {
        UserAccount owner = fx.user(Role.ENGINEER);
        long mine = tokens.issue(owner.username(), "mine", null, null, false)
                .token()
                .id();
        long another = tokens.issue(owner.username(), "another", null, null, false)
                .token()
                .id();

        MvcTestResult revoked =
                mvc.delete().uri("/api/tokens/{id}", mine).with(as(owner)).exchange();
        MvcTestResult byAdmin = mvc.delete().uri("/api/tokens/{id}", another).exchange();

        assertThat(revoked).hasStatusOk();
        assertThat(revoked).bodyJson().extractingPath("$.status").isEqualTo("REVOKED");
        assertThat(revoked).bodyJson().extractingPath("$.revokedBy").isEqualTo(owner.username());
        assertThat(byAdmin).bodyJson().extractingPath("$.revokedBy").isEqualTo(TestSecurity.ADMIN);
        assertThat(mvc.delete().uri("/api/tokens/{id}", mine).with(as(owner)))
                .as("revoking twice changes nothing")
                .hasStatusOk();
    }

    @Nested
    class Refusing {

        @Test
        void everyBrokenRuleAtOnceAndStoresNothing() {
            long before = storedTokens();

            MvcTestResult result = create(TestSecurity.as(TestSecurity.ADMIN, "ADMIN"), """
                    {"name": " ", "kind": "ROOT", "expiresAt": "2020-01-01T00:00:00Z"}""");

            SecurityFixtures.assertRefused(
                    result, List.of("name", "kind", "expiresAt"), List.of("required", "one-of", "future"));
            assertThat(storedTokens()).isEqualTo(before);
        }

        @Test
        void anExpiryBeyondTheLongestLifetime() {
            MvcTestResult result = create(TestSecurity.as(TestSecurity.ADMIN, "ADMIN"), """
                    {"name": "forever", "expiresAt": "%s"}""".formatted(
                            OffsetDateTime.now().plusYears(5)));

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("max");
        }

        @Test
        void aDateThatIsNoDate() {
            MvcTestResult result = create(TestSecurity.as(TestSecurity.ADMIN, "ADMIN"), """
                    {"name": "x", "expiresAt": "next tuesday"}""");

            assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("expiresAt");
        }

        @Test
        void workerAndServingTokensForAnyoneButAnAdmin() {
            UserAccount engineer = fx.user(Role.ENGINEER);
            long before = storedTokens();

            for (String kind : List.of("WORKER", "SERVING")) {
                MvcTestResult result = create(as(engineer), """
                        {"name": "sneaky", "kind": "%s"}""".formatted(kind));

                assertThat(result).as(kind).hasStatus(HttpStatus.BAD_REQUEST);
                assertThat(result)
                        .bodyJson()
                        .extractingPath("$.errors[0].field")
                        .isEqualTo("kind");
                assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("admin-only");
            }
            assertThat(storedTokens()).isEqualTo(before);
        }

        @Test
        void everyonesTokensForAnyoneButAnAdmin() {
            UserAccount engineer = fx.user(Role.ENGINEER);

            MvcTestResult result =
                    mvc.get().uri("/api/tokens?all=true").with(as(engineer)).exchange();

            SecurityRulesTests.assertForbiddenProblem(result);
            assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("only an ADMIN");
        }

        @Test
        void someoneElsesTokenAs404AndLeavesItActive() {
            UserAccount owner = fx.user(Role.ENGINEER);
            UserAccount other = fx.user(Role.ENGINEER);
            IssuedToken issued = tokens.issue(owner.username(), "not yours", null, null, false);

            MvcTestResult result = mvc.delete()
                    .uri("/api/tokens/{id}", issued.token().id())
                    .with(as(other))
                    .exchange();

            assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(tokens.get(issued.token().id()).status()).isEqualTo("ACTIVE");
            assertThat(mvc.delete().uri("/api/tokens/{id}", 987654321L)).hasStatus(HttpStatus.NOT_FOUND);
        }
    }
}
