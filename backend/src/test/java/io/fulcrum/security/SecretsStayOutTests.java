package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.TestSecurity;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A token's secret and a user's password, once created, appear in no API answer, no audit entry, no
 * database column and no log line, even when they are used, mistyped or revoked.
 */
@FulcrumSpringTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutTests {

    @Autowired
    UserAccounts users;

    @Autowired
    ApiTokens tokens;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in through the form like a browser: the page's CSRF token, then the post. */
    HttpResponse<String> signIn(String username, String password) throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String page = browser.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sign-in"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
        String form =
                "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void aTokenSecretAndAPasswordAppearNowhere(CapturedOutput output) throws Exception {
        String name = "secret-keeper-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        users.create(name, password, "ADMIN", false);
        IssuedToken issued = tokens.issue(name, "leak-check", "PERSONAL", null, true);
        String secret = issued.secret();
        String wrongSecret = secret.substring(0, secret.length() - 4) + "xxxx";

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (String path : List.of(
                "/api/tokens",
                "/api/tokens/" + issued.token().id(),
                "/api/users",
                "/api/audit?size=100",
                "/api/task-groups",
                "/overview")) {
            answers.add(get(path, secret));
        }
        answers.add(get("/api/task-groups", wrongSecret));
        HttpResponse<String> signedIn = signIn(name, password);
        answers.add(signedIn);
        answers.add(signIn(name, password + "-mistyped"));
        tokens.revoke(issued.token().id(), TestSecurity.ADMIN, true);
        answers.add(get("/api/task-groups", secret));

        assertThat(answers.get(4).statusCode()).as("the token works").isEqualTo(200);
        assertThat(answers.get(6).statusCode())
                .as("a mistyped token is refused")
                .isEqualTo(401);
        assertThat(signedIn.headers().firstValue("Location"))
                .as("signed in")
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.body()).doesNotContain(secret, password, wrongSecret);
            assertThat(answer.headers().map().toString()).doesNotContain(secret, password, wrongSecret);
        }
        String everyColumn = String.join(
                "\n",
                jdbc.queryForList(
                        "SELECT concat_ws('|', u.*::text) FROM app_user u UNION ALL"
                                + " SELECT concat_ws('|', t.*::text) FROM api_token t UNION ALL"
                                + " SELECT concat_ws('|', a.*::text) FROM audit_log a",
                        String.class));
        assertThat(everyColumn).contains(name).doesNotContain(secret, password);
        assertThat(output.getAll()).doesNotContain(secret, password, wrongSecret);
    }
}
