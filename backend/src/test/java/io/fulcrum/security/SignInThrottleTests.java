package io.fulcrum.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.security.internal.SignInLimits;
import io.fulcrum.security.internal.SignInThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInThrottleTests {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final TestClock clock = new TestClock();
    final SignInThrottle throttle = new SignInThrottle(new SignInLimits(null, null, null), clock);

    void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, address);
        }
    }

    @Test
    void refusesAUserNameAfterFiveFailuresWhateverItsCase() {
        fail("Alice", "10.0.0.1", 4);
        assertThat(throttle.refusal("alice", "10.0.0.2")).isEmpty();

        throttle.failed(" ALICE ", "10.0.0.3");

        assertThat(throttle.refusal("alice", "10.0.0.4")).contains(Duration.ofMinutes(15));
        assertThat(throttle.refusal("bob", "10.0.0.4")).isEmpty();
    }

    @Test
    void theRefusalEndsWhenTheOldestCountedFailureLeavesTheWindow() {
        fail("alice", "10.0.0.1", 4);
        clock.advance(Duration.ofMinutes(5));
        throttle.failed("alice", "10.0.0.1");

        assertThat(throttle.refusal("alice", "10.0.0.1")).contains(Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.refusal("alice", "10.0.0.1")).isEmpty();
        // the failure at minute 5 still counts: four more lock the name again
        fail("alice", "10.0.0.1", 3);
        assertThat(throttle.refusal("alice", "10.0.0.1")).isEmpty();
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.refusal("alice", "10.0.0.1")).isPresent();
    }

    @Test
    void refusesAnAddressAfterTwentyFailuresOverAnyUserNames() {
        for (int i = 0; i < 19; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.refusal("someone-new", "10.0.0.9")).isEmpty();

        throttle.failed("user19", "10.0.0.9");

        assertThat(throttle.refusal("someone-new", "10.0.0.9")).contains(Duration.ofMinutes(15));
        assertThat(throttle.refusal("someone-new", "10.0.0.10")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUserNameButNotTheAddress() {
        for (int i = 0; i < 16; i++) {
            throttle.failed("user" + i, "10.0.0.7");
        }
        fail("alice", "10.0.0.7", 4);

        throttle.succeeded("ALICE");

        fail("alice", "10.0.0.8", 4);
        assertThat(throttle.refusal("alice", "10.0.0.8")).isEmpty();
        assertThat(throttle.refusal("carol", "10.0.0.7")).isPresent();
    }

    @Test
    void limitsAndWindowAreConfigurable() {
        SignInThrottle strict = new SignInThrottle(new SignInLimits(2, 3, Duration.ofMinutes(1)), clock);

        strict.failed("alice", "10.0.0.1");
        strict.failed("alice", "10.0.0.1");

        assertThat(strict.refusal("alice", "10.0.0.2")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(61));
        assertThat(strict.refusal("alice", "10.0.0.2")).isEmpty();
    }
}
