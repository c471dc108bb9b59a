package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketHashTests {

    @Test
    void murmur3MatchesTheReferenceVectors() {
        assertThat(BucketHash.murmur3(new byte[0], 0)).isZero();
        assertThat(BucketHash.murmur3("hello".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0x248bfa47);
        assertThat(BucketHash.murmur3(
                        "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0x2e4ff723);
    }

    /** The vectors documented in docs/rollout.md; computed independently of this implementation. */
    @ParameterizedTest
    @CsvSource({
        "exp-1, user-1, 2560",
        "exp-1, user-2, 1934",
        "exp-1, 42, 2710",
        "ple-vs-mmoe, u123456, 9279",
        "ple-vs-mmoe, ü-é, 1199",
    })
    void bucketsOfFixedIdsArePinned(String salt, String user, int bucket) {
        assertThat(BucketHash.bucket(salt, user)).isEqualTo(bucket);
    }

    @Test
    void bucketsAreSpreadEvenly() {
        int[] deciles = new int[10];
        for (int u = 0; u < 100_000; u++) {
            deciles[BucketHash.bucket("spread", "user-" + u) / 1000]++;
        }
        for (int count : deciles) {
            assertThat(count).isBetween(9_600, 10_400); // ±4 standard deviations of a fair split
        }
    }
}
