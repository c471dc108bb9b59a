package io.fulcrum.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code fulcrum.security} (docs/configuration.md, docs/security.md).
 *
 * @param adminPassword the first admin's password ({@code FULCRUM_ADMIN_PASSWORD}); blank means a
 *     random one-time password is printed to the log once and must be changed at first sign-in
 * @param tokenCacheTtl how long a checked token is trusted without asking PostgreSQL again; a
 *     revocation on this server takes effect at once, on another server within this time
 * @param defaultTokenLifetime how long a token lives when its creator gives no expiry
 * @param maxTokenLifetime the longest expiry a token may be given
 */
@ConfigurationProperties("fulcrum.security")
public record SecurityProperties(
        String adminPassword, Duration tokenCacheTtl, Duration defaultTokenLifetime, Duration maxTokenLifetime) {

    public SecurityProperties {
        adminPassword = adminPassword == null ? "" : adminPassword;
        tokenCacheTtl = tokenCacheTtl == null ? Duration.ofSeconds(10) : tokenCacheTtl;
        defaultTokenLifetime = defaultTokenLifetime == null ? Duration.ofDays(90) : defaultTokenLifetime;
        maxTokenLifetime = maxTokenLifetime == null ? Duration.ofDays(730) : maxTokenLifetime;
    }
}
