package io.fulcrum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmActivityTests {

    @Test
    void countsTheCollectionsAndCpuOfTheWindow() {
        JvmActivity before = JvmActivity.now();
        long sum = 0;
        long until = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < until) {
            sum += new long[64].length; // keep one core busy for 0.2 s
        }
        System.gc();

        Map<String, Object> window = JvmActivity.now().since(before);

        assertThat(sum).isPositive();
        assertThat((long) window.get("gcCollections")).isGreaterThanOrEqualTo(1);
        assertThat((long) window.get("gcMillis")).isGreaterThanOrEqualTo(0);
        // one busy thread for most of the window; other threads may add a little
        assertThat((double) window.get("cpuCores")).isGreaterThan(0.3);
        assertThat((long) window.get("jitMillis")).isGreaterThanOrEqualTo(0);
    }
}
