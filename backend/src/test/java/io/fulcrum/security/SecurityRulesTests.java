package io.fulcrum.security;

import static io.fulcrum.security.SecurityFixtures.bearer;
import static io.fulcrum.security.SecurityFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The roles table of docs/security.md, request by request: who is refused (401, 403 as problem
 * details, or the sign-in page) and who gets through. "Gets through" means anything but 401 and 403:
 * a 400 for a deliberately empty body proves the request reached the endpoint.
 */
@FulcrumSpringTest
class SecurityRulesTests {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UserAccounts users;

    @Autowired
    ApiTokens tokens;

    @LocalServerPort
    int port;

    SecurityFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new SecurityFixtures(users, tokens);
    }

    static String taskGroup() {
        return """
                {"name": "%s", "tasks": [{"name": "ctr", "kind": "BINARY", "labelColumn": "click"}]}""".formatted(unique("rules"));
    }

    MvcTestResult createTaskGroup(RequestPostProcessor who) {
        return mvc.post()
                .uri("/api/task-groups")
                .with(who)
                .contentType(MediaType.APPLICATION_JSON)
                .content(taskGroup())
                .exchange();
    }

    MvcTestResult send(String method, String uri, RequestPostProcessor who) {
        var request = switch (method) {
            case "GET" -> mvc.get().uri(uri);
            case "POST" -> mvc.post().uri(uri);
            case "PUT" -> mvc.put().uri(uri);
            case "DELETE" -> mvc.delete().uri(uri);
            default -> throw new IllegalArgumentException(method);
        };
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request = request.contentType(MediaType.APPLICATION_JSON).content("{}");
        }
        return request.with(who).exchange();
    }

    static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString();
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertForbiddenProblem(MvcTestResult result) {
        assertThat(result).hasStatus(HttpStatus.FORBIDDEN);
        assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:fulcrum:problem:forbidden");
    }

    static void assertUnauthenticatedProblem(MvcTestResult result) {
        assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED);
        assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:fulcrum:problem:unauthenticated");
    }

    static void assertGotThrough(MvcTestResult result) {
        assertThat(result.getResponse().getStatus()).as(body(result)).isNotIn(401, 403);
    }

    @Nested
    class Anonymous {

        @Test
        void getsAnUnauthenticatedProblemFromTheApi() {
            MvcTestResult result = send("GET", "/api/task-groups", anonymous());

            assertUnauthenticatedProblem(result);
            assertThat(result).hasHeader("WWW-Authenticate", "Bearer realm=\"fulcrum\"");
        }

        @Test
        void cannotCreateAnything() {
            assertUnauthenticatedProblem(createTaskGroup(anonymous()));
            assertUnauthenticatedProblem(send("POST", "/api/rank", anonymous()));
        }

        @Test
        void isSentToTheSignInPageFromEveryPage() {
            for (String page : new String[] {"/", "/task-groups", "/ab-experiments", "/account", "/admin/users"}) {
                MvcTestResult result = mvc.get().uri(page).with(anonymous()).exchange();

                assertThat(result).as(page).hasStatus(HttpStatus.FOUND);
                assertThat(result.getResponse().getRedirectedUrl()).as(page).endsWith("/sign-in");
            }
        }

        @Test
        void mayOpenTheSignInPageAndTheHealthProbe() {
            assertThat(mvc.get().uri("/sign-in").with(anonymous())).hasStatusOk();
            assertThat(mvc.get()
                            .uri("/actuator/health")
                            .with(anonymous())
                            .exchange()
                            .getResponse()
                            .getStatus())
                    .isNotIn(302, 401, 403);
        }
    }

    @Nested
    class Viewer {

        final RequestPostProcessor viewer = TestSecurity.as("vera", "VIEWER");

        @Test
        void readsEverything() {
            for (String uri : new String[] {
                "/api/task-groups", "/api/runs", "/api/ab-experiments", "/api/workers", "/api/models", "/task-groups"
            }) {
                assertThat(send("GET", uri, viewer)).as(uri).hasStatusOk();
            }
        }

        @Test
        void cannotCreateATaskGroup() {
            assertForbiddenProblem(createTaskGroup(viewer));
        }

        @Test
        void cannotSaveASchedule() {
            assertForbiddenProblem(send("POST", "/api/loss-weight-schedules", viewer));
            assertForbiddenProblem(send("PUT", "/api/loss-weight-schedules/1", viewer));
            assertThat(mvc.post().uri("/schedules/1").with(viewer).param("name", "x"))
                    .hasStatus(HttpStatus.FORBIDDEN);
        }

        @Test
        void mayPreviewAScheduleWhichStoresNothing() {
            assertGotThrough(send("POST", "/api/loss-weight-schedules/preview", viewer));
        }

        @Test
        void cannotOpenTheCreatePagesNorTheAdminPages() {
            for (String page : new String[] {"/task-groups/new", "/datasets/new", "/admin/users", "/admin/tokens"}) {
                assertThat(mvc.get().uri(page).with(viewer)).as(page).hasStatus(HttpStatus.FORBIDDEN);
            }
        }

        @Test
        void cannotManageUsers() {
            assertForbiddenProblem(send("GET", "/api/users", viewer));
            assertForbiddenProblem(send("POST", "/api/users", viewer));
        }
    }

    @Nested
    class Engineer {

        final RequestPostProcessor engineer = TestSecurity.as("erin", "ENGINEER");

        @Test
        void createsATaskGroup() {
            assertThat(createTaskGroup(engineer)).hasStatus(HttpStatus.CREATED);
        }

        @Test
        void cannotCreateAnAbExperiment() {
            assertForbiddenProblem(send("POST", "/api/ab-experiments", engineer));
        }

        @Test
        void cannotMoveTheChampionAliasButMayMoveOthers() {
            assertForbiddenProblem(send("PUT", "/api/models/x/aliases/champion", engineer));
            assertForbiddenProblem(send("DELETE", "/api/models/x/aliases/champion", engineer));
            assertThat(mvc.post().uri("/models/x/aliases").with(engineer).param("alias", "Champion"))
                    .hasStatus(HttpStatus.FORBIDDEN);
            assertGotThrough(send("PUT", "/api/models/x/aliases/challenger", engineer));
        }

        @Test
        void cannotDrainAWorker() {
            assertForbiddenProblem(send("POST", "/api/workers/1/drain", engineer));
        }
    }

    @Nested
    class Admin {

        final RequestPostProcessor admin = TestSecurity.as("ada", "ADMIN");

        @Test
        void mayDoWhatAnEngineerMayNot() {
            assertGotThrough(send("POST", "/api/ab-experiments", admin));
            assertGotThrough(send("PUT", "/api/models/x/aliases/champion", admin));
            assertGotThrough(send("POST", "/api/workers/999999/drain", admin));
            assertThat(createTaskGroup(admin)).hasStatus(HttpStatus.CREATED);
            assertThat(send("GET", "/api/users", admin)).hasStatusOk();
        }

        @Test
        void isNotAServingToken() {
            assertForbiddenProblem(send("POST", "/api/rank", admin));
            assertForbiddenProblem(send("POST", "/api/events", admin));
        }
    }

    @Nested
    class Tokens {

        @Test
        void aServingTokenMayRankButDoNothingElse() {
            RequestPostProcessor serving = bearer(fx.token(TokenKind.SERVING).secret());

            assertGotThrough(send("POST", "/api/rank", serving));
            assertGotThrough(send("POST", "/api/events", serving));
            assertForbiddenProblem(send("GET", "/api/runs", serving));
            assertForbiddenProblem(send("GET", "/api/account", serving));
            assertForbiddenProblem(createTaskGroup(serving));
        }

        @Test
        void aWorkerTokenCannotUseTheApi() {
            RequestPostProcessor worker = bearer(fx.token(TokenKind.WORKER).secret());

            assertForbiddenProblem(send("GET", "/api/runs", worker));
            assertForbiddenProblem(send("POST", "/api/rank", worker));
        }

        @Test
        void aPersonalTokenActsWithItsOwnersRole() {
            RequestPostProcessor viewer = bearer(fx.personalToken(fx.user(Role.VIEWER)));
            RequestPostProcessor engineer = bearer(fx.personalToken(fx.user(Role.ENGINEER)));

            assertThat(send("GET", "/api/task-groups", viewer)).hasStatusOk();
            assertForbiddenProblem(createTaskGroup(viewer));
            assertThat(createTaskGroup(engineer)).hasStatus(HttpStatus.CREATED);
            assertForbiddenProblem(send("POST", "/api/ab-experiments", engineer));
            assertForbiddenProblem(send("POST", "/api/rank", engineer));
        }

        @Test
        void aTokenNeedsNoCsrfTokenButIsCheckedAlone() {
            MvcTestResult result = mvc.post()
                    .uri("/api/task-groups")
                    .with(bearer("ful_p_not-a-token"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(taskGroup())
                    .exchange();

            assertUnauthenticatedProblem(result);
            assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("unknown, expired or revoked");
        }

        @Test
        void aRevokedTokenIsRefusedAtOnce() {
            UserAccount owner = fx.user(Role.ENGINEER);
            IssuedToken issued = tokens.issue(owner.username(), "soon revoked", null, null, false);
            assertThat(send("GET", "/api/runs", bearer(issued.secret()))).hasStatusOk();

            tokens.revoke(issued.token().id(), owner.username(), false);

            assertUnauthenticatedProblem(send("GET", "/api/runs", bearer(issued.secret())));
        }

        @Test
        void anExpiredTokenIsRefused() {
            IssuedToken issued = fx.token(TokenKind.SERVING);
            jdbc.update(
                    "UPDATE api_token SET expires_at = now() - interval '1 minute' WHERE id = ?",
                    issued.token().id());
            tokens.forgetCachedTokens();

            assertUnauthenticatedProblem(send("POST", "/api/rank", bearer(issued.secret())));
        }

        @Test
        void aSecretIsShownOnceAndNeverAgain() {
            MvcTestResult created = mvc.post()
                    .uri("/api/tokens")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"name\": \"shown once\"}")
                    .exchange();
            assertThat(created).hasStatus(HttpStatus.CREATED);
            String secret = com.jayway.jsonpath.JsonPath.read(body(created), "$.secret");
            assertThat(secret).startsWith("ful_p_");

            for (String uri : new String[] {"/api/tokens", "/api/tokens?all=true", "/admin/tokens", "/account"}) {
                MvcTestResult listed = mvc.get().uri(uri).exchange();
                assertThat(listed).as(uri).hasStatusOk();
                assertThat(body(listed)).as(uri).doesNotContain(secret);
            }
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM audit_log WHERE concat(detail, before::text, after::text) LIKE ?",
                            Integer.class,
                            "%" + secret.substring(10) + "%"))
                    .as("no audit entry holds the secret")
                    .isZero();
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM api_token WHERE secret_sha256 = ?",
                            Integer.class,
                            ApiTokens.sha256(secret)))
                    .as("only its hash is stored")
                    .isOne();
        }

        @Test
        void aDisabledUsersTokenStopsAtOnceAndARoleChangeTakesEffectAtOnce() {
            UserAccount engineer = fx.user(Role.ENGINEER);
            RequestPostProcessor token = bearer(fx.personalToken(engineer));
            assertThat(createTaskGroup(token)).hasStatus(HttpStatus.CREATED);

            patchUser(engineer.id(), "{\"role\": \"VIEWER\"}");
            assertForbiddenProblem(createTaskGroup(token));

            patchUser(engineer.id(), "{\"enabled\": false}");
            assertUnauthenticatedProblem(send("GET", "/api/runs", token));

            patchUser(engineer.id(), "{\"enabled\": true, \"role\": \"ENGINEER\"}");
            assertThat(createTaskGroup(token)).hasStatus(HttpStatus.CREATED);
        }

        void patchUser(long id, String json) {
            assertThat(mvc.patch()
                            .uri("/api/users/{id}", id)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(json))
                    .hasStatusOk();
        }
    }

    @Nested
    class Sessions {

        @Test
        void aDisabledUsersSessionEndsAtOnce() {
            UserAccount engineer = fx.user(Role.ENGINEER);
            SignedInSession session = SignedInSession.signIn(port, engineer.username(), SecurityFixtures.PASSWORD);
            assertThat(session.get("/api/runs").statusCode()).isEqualTo(200);

            users.update(engineer.id(), null, false, TestSecurity.ADMIN);

            var api = session.get("/api/runs");
            assertThat(api.statusCode()).isEqualTo(401);
            assertThat(api.body()).contains("your session ended because an admin changed your account");
        }

        @Test
        void aRoleChangeEndsTheSessionSoTheNextSignInHasTheNewRole() {
            UserAccount engineer = fx.user(Role.ENGINEER);
            SignedInSession session = SignedInSession.signIn(port, engineer.username(), SecurityFixtures.PASSWORD);
            assertThat(session.get("/task-groups/new").statusCode()).isEqualTo(200);

            users.update(engineer.id(), "VIEWER", null, TestSecurity.ADMIN);

            var page = session.get("/task-groups/new");
            assertThat(page.statusCode()).isEqualTo(302);
            assertThat(page.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/sign-in?ended"));
            SignedInSession again = SignedInSession.signIn(port, engineer.username(), SecurityFixtures.PASSWORD);
            assertThat(again.get("/task-groups/new").statusCode()).isEqualTo(403);
        }

        @Test
        void aUserWhoMustChangeThePasswordIsKeptOnThePasswordPageUntilTheyDo() {
            UserAccount newcomer = fx.newUser(Role.ENGINEER);
            SignedInSession session = SignedInSession.signIn(port, newcomer.username(), SecurityFixtures.PASSWORD);
            assertThat(session.landedOn).endsWith("/account/password");

            var page = session.get("/task-groups");
            assertThat(page.statusCode()).isEqualTo(302);
            assertThat(page.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/account/password"));
            var api = session.get("/api/task-groups");
            assertThat(api.statusCode()).isEqualTo(403);
            assertThat(api.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(api.body()).contains("you must change your password first");
            String token = fx.personalToken(newcomer);
            assertThat(mvc.get().uri("/api/task-groups").with(bearer(token)))
                    .as("tokens are not affected")
                    .hasStatusOk();

            var changed = session.form(
                    "/account/password",
                    "/account/password",
                    Map.of(
                            "currentPassword", SecurityFixtures.PASSWORD,
                            "newPassword", "my-own-new-password",
                            "repeatPassword", "my-own-new-password"));

            assertThat(changed.statusCode()).isEqualTo(302);
            assertThat(changed.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/overview"));
            assertThat(session.get("/api/task-groups").statusCode()).isEqualTo(200);
            assertThat(session.get("/task-groups").statusCode()).isEqualTo(200);
            assertThat(users.find(newcomer.username()).orElseThrow().passwordChangeRequired())
                    .isFalse();
        }
    }
}
