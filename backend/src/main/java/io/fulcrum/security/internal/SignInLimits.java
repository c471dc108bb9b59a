package io.fulcrum.security.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code fulcrum.security.sign-in}: how many failed sign-ins a user name and a client
 * address may have within a window before further attempts are refused unchecked (docs/security.md,
 * "Limits and hostile input").
 *
 * @param maxFailuresPerUser failures of one user name (case-insensitive) within the window (default 5)
 * @param maxFailuresPerAddress failures from one client address, whatever the user name (default 20)
 * @param window how long a failure counts (default 15 minutes)
 */
@ConfigurationProperties("fulcrum.security.sign-in")
public record SignInLimits(Integer maxFailuresPerUser, Integer maxFailuresPerAddress, Duration window) {

    public SignInLimits {
        maxFailuresPerUser = maxFailuresPerUser == null ? 5 : maxFailuresPerUser;
        maxFailuresPerAddress = maxFailuresPerAddress == null ? 20 : maxFailuresPerAddress;
        window = window == null ? Duration.ofMinutes(15) : window;
        if (maxFailuresPerUser < 1 || maxFailuresPerAddress < 1) {
            throw new IllegalArgumentException("fulcrum.security.sign-in.max-failures-* must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("fulcrum.security.sign-in.window must be positive");
        }
    }
}
