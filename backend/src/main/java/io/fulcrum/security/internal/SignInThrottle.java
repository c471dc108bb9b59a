package io.fulcrum.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per user name (case-insensitive) and per client address over a sliding
 * window; once either reaches its limit, further attempts are refused without checking the password
 * until the oldest counted failure leaves the window. A successful sign-in clears its user name's
 * failures, not its address's: one valid account must not let a client guess other accounts' passwords
 * unhindered. Kept in memory, so each server counts on its own (docs/security.md).
 */
@Component
@EnableConfigurationProperties(SignInLimits.class)
public class SignInThrottle {

    private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

    /** Keys kept per cache: a flood of made-up names evicts the oldest, never grows the heap unbounded. */
    private static final int MAX_KEYS = 100_000;

    private final SignInLimits limits;
    private final Clock clock;
    private final Cache<String, Failures> byUser;
    private final Cache<String, Failures> byAddress;

    @Autowired
    SignInThrottle(SignInLimits limits) {
        this(limits, Clock.systemUTC());
    }

    public SignInThrottle(SignInLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.byUser = cache(limits.window());
        this.byAddress = cache(limits.window());
    }

    private static Cache<String, Failures> cache(Duration window) {
        return Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterWrite(window)
                .build();
    }

    /** How long attempts for this user name or from this address are still refused; empty if allowed. */
    public Optional<Duration> refusal(String username, String address) {
        Instant now = clock.instant();
        Duration user = remaining(byUser.getIfPresent(userKey(username)), limits.maxFailuresPerUser(), now);
        Duration client = remaining(byAddress.getIfPresent(addressKey(address)), limits.maxFailuresPerAddress(), now);
        Duration longest = user.compareTo(client) >= 0 ? user : client;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** A sign-in with this user name from this address failed (wrong password, unknown or disabled user). */
    public void failed(String username, String address) {
        Instant now = clock.instant();
        int userFailures = add(byUser, userKey(username), limits.maxFailuresPerUser(), now);
        int addressFailures = add(byAddress, addressKey(address), limits.maxFailuresPerAddress(), now);
        if (userFailures == limits.maxFailuresPerUser() || addressFailures == limits.maxFailuresPerAddress()) {
            log.warn(
                    "Sign-in refused for {} minutes for user name '{}' from {}: {} failures for the name, {} from"
                            + " the address",
                    limits.window().toMinutes(),
                    printable(username),
                    printable(address),
                    userFailures,
                    addressFailures);
        }
    }

    /** A sign-in with this user name succeeded: its earlier failures no longer count. */
    public void succeeded(String username) {
        byUser.invalidate(userKey(username));
    }

    private int add(Cache<String, Failures> cache, String key, int max, Instant now) {
        Failures failures = cache.asMap().compute(key, (k, existing) -> existing == null ? new Failures() : existing);
        return failures.add(now, limits.window(), max);
    }

    private Duration remaining(Failures failures, int max, Instant now) {
        return failures == null ? Duration.ZERO : failures.refusedFor(now, limits.window(), max);
    }

    private static String userKey(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return address == null ? "" : address;
    }

    /** A user name as typed may hold line breaks: never let it forge a log line. */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    /** The times of the latest failures of one key, at most as many as the limit. */
    private static final class Failures {

        private final Deque<Instant> times = new ArrayDeque<>();

        synchronized int add(Instant now, Duration window, int max) {
            forgetBefore(now.minus(window));
            times.addLast(now);
            while (times.size() > max) {
                times.removeFirst();
            }
            return times.size();
        }

        synchronized Duration refusedFor(Instant now, Duration window, int max) {
            forgetBefore(now.minus(window));
            if (times.size() < max) {
                return Duration.ZERO;
            }
            return Duration.between(now, times.peekFirst().plus(window));
        }

        private void forgetBefore(Instant start) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(start)) {
                times.removeFirst();
            }
        }
    }
}
