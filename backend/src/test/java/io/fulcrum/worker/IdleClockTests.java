package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleClockTests {

    @Test
    void expiresAfterTheWholeLimitWithoutARunAndABusyTickStartsItAgain() {
        AtomicLong now = new AtomicLong(1_000);
        IdleClock clock = new IdleClock(Duration.ofSeconds(10), now::get);

        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(clock.expired(false)).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(clock.expired(false)).isTrue();

        assertThat(clock.expired(true)).as("a run in progress").isFalse();
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(clock.expired(false)).as("9 s after the last busy tick").isFalse();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(clock.expired(false)).isTrue();
    }
}
