package io.fulcrum.security.internal;

import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.Role;
import io.fulcrum.security.SecurityProperties;
import io.fulcrum.security.TokenKind;
import io.fulcrum.security.UserAccounts;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.session.SessionInformationExpiredEvent;
import org.springframework.security.web.session.SessionManagementFilter;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what. Dashboard users sign in with a form (session cookie, CSRF token on every
 * change); scripts, workers and the serving path send an API token as a bearer header (no session,
 * no CSRF: a browser never adds that header by itself). The rules below are the roles table of
 * docs/security.md: keep the two in step.
 */
@Configuration
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    public static final String SIGN_IN = "/sign-in";
    public static final String SIGN_OUT = "/sign-out";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    @Bean
    public PasswordEncoder passwordEncoder() {
        // {bcrypt} today; the {id} prefix lets a later default (argon2) take over as users sign in
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    public static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name())
                .implies(Role.ENGINEER.name())
                .role(Role.ENGINEER.name())
                .implies(Role.VIEWER.name())
                .build();
    }

    @Bean
    public UserDetailsService userDetailsService(JdbcClient jdbc) {
        return username -> jdbc.sql("SELECT username, password_hash, role, enabled FROM app_user"
                        + " WHERE lower(username) = lower(?)")
                .param(username == null ? "" : username.strip())
                .query((rs, row) -> User.withUsername(rs.getString("username"))
                        .password(rs.getString("password_hash"))
                        .roles(rs.getString("role"))
                        .disabled(!rs.getBoolean("enabled"))
                        .build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    /** The signed-in sessions, so that an admin's change to a user ends theirs (see {@link SignedInSessions}). */
    @Bean
    public SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry when the servlet container drops a session. */
    @Bean
    public static HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    /** Only a server has one: a worker process (no web server) has no HTTP requests to guard. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    public SecurityFilterChain securityFilterChain(
            HttpSecurity http, ApiTokens tokens, UserAccounts users, SessionRegistry sessions, SignInThrottle throttle)
            throws Exception {
        ProblemEntryPoint problems = new ProblemEntryPoint();
        RequestMatcher api = PATHS.matcher("/api/**");
        SecurityHeaders.apply(http);
        // after session management, which would otherwise see a token's authentication as a fresh
        // sign-in and open (and register) an HTTP session for every API request
        http.addFilterAfter(new BearerTokenFilter(tokens, problems), SessionManagementFilter.class)
                .addFilterBefore(new SignInThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new ForcedPasswordChangeFilter(problems), AuthorizationFilter.class)
                .csrf(csrf -> csrf.ignoringRequestMatchers(BearerTokenFilter::hasBearer))
                .formLogin(form -> form.loginPage(SIGN_IN)
                        .loginProcessingUrl(SIGN_IN)
                        .successHandler(new SignInSuccessHandler(users))
                        .failureUrl(SIGN_IN + "?error")
                        .permitAll())
                .sessionManagement(session -> session.maximumSessions(-1)
                        .sessionRegistry(sessions)
                        .expiredSessionStrategy(event -> ended(event, api, problems)))
                .logout(logout -> logout.logoutUrl(SIGN_OUT).logoutSuccessUrl(SIGN_IN + "?signed-out"))
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(problems, api)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(SIGN_IN), request -> true)
                        .defaultAccessDeniedHandlerFor(problems, api))
                .authorizeHttpRequests(rules -> rules
                        // an error page renders what the original request was already allowed to cause
                        .dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        // the sign-in page, its assets and the load balancer's health probe
                        .requestMatchers(SIGN_IN, "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**")
                        .permitAll()
                        // the serving path: serving tokens only, and they can do nothing else
                        .requestMatchers(HttpMethod.POST, "/api/rank", "/api/events")
                        .hasAuthority(TokenKind.SERVING_AUTHORITY)
                        .requestMatchers("/api/users/**", "/api/audit/**", "/admin/**")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/tokens/**", "/account/**")
                        .hasRole(Role.VIEWER.name())
                        .requestMatchers(adminChanges())
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/ab-experiments/new", "/ab-experiments/*/edit")
                        .hasRole(Role.ADMIN.name())
                        // a preview computes a curve and stores nothing
                        .requestMatchers(HttpMethod.POST, "/api/loss-weight-schedules/preview")
                        .hasRole(Role.VIEWER.name())
                        .requestMatchers(SecurityConfiguration::changesState)
                        .hasRole(Role.ENGINEER.name())
                        .requestMatchers(
                                HttpMethod.GET,
                                "/task-groups/new",
                                "/task-groups/*/edit",
                                "/datasets/new",
                                "/schedules/new",
                                "/studies/new",
                                "/models/register")
                        .hasRole(Role.ENGINEER.name())
                        .anyRequest()
                        .hasRole(Role.VIEWER.name()));
        return http.build();
    }

    /** A session an admin ended (role changed, user disabled, password reset) must sign in again. */
    private static void ended(SessionInformationExpiredEvent event, RequestMatcher api, ProblemEntryPoint problems)
            throws IOException {
        HttpServletRequest request = event.getRequest();
        if (api.matches(request)) {
            problems.commence(
                    request,
                    event.getResponse(),
                    new InsufficientAuthenticationException(ProblemEntryPoint.SESSION_ENDED));
        } else {
            event.getResponse().sendRedirect(request.getContextPath() + SIGN_IN + "?ended");
        }
    }

    /** Changes only an ADMIN may make: rollouts, surfaces, workers and the champion alias. */
    private static RequestMatcher adminChanges() {
        RequestMatcher paths = new OrRequestMatcher(
                PATHS.matcher("/api/ab-experiments/**"),
                PATHS.matcher("/ab-experiments/**"),
                PATHS.matcher("/api/surfaces/**"),
                PATHS.matcher("/api/workers/**"),
                PATHS.matcher("/workers/**"),
                PATHS.matcher("/api/models/*/aliases/champion"),
                PATHS.matcher("/models/*/aliases/champion/**"),
                SecurityConfiguration::movesChampionFromForm);
        return new AndRequestMatcher(SecurityConfiguration::changesState, paths);
    }

    /** The model page's alias form names the alias in a field, not in the path. */
    private static boolean movesChampionFromForm(HttpServletRequest request) {
        return PATHS.matcher(HttpMethod.POST, "/models/*/aliases").matches(request)
                && "champion"
                        .equalsIgnoreCase(
                                String.valueOf(request.getParameter("alias")).strip());
    }

    private static boolean changesState(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod());
    }
}
