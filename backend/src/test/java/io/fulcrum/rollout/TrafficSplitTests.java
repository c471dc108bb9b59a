package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSplitTests {

    private static final List<String> VARIANTS = List.of("control", "ple");

    @Test
    void variantsOwnContiguousRangesAndTheRestIsHeldOut() {
        TrafficSplit split = new TrafficSplit(VARIANTS, List.of(2_000, 3_000), 100);
        assertThat(split.variantOf(0)).isEqualTo("control");
        assertThat(split.variantOf(1_999)).isEqualTo("control");
        assertThat(split.variantOf(2_000)).isEqualTo("ple");
        assertThat(split.variantOf(4_999)).isEqualTo("ple");
        assertThat(split.variantOf(5_000)).isNull();
        assertThat(split.activeBuckets()).containsExactly(2_000, 3_000);
    }

    @Test
    void rampingUpOnlyAddsUsersAndNeverMovesOne() {
        double[] steps = {1, 5, 10, 25, 50, 100};
        TrafficSplit previous = null;
        for (double percent : steps) {
            TrafficSplit split = new TrafficSplit(VARIANTS, List.of(5_000, 5_000), percent);
            if (previous != null) {
                for (int bucket = 0; bucket < BucketHash.BUCKETS; bucket++) {
                    String before = previous.variantOf(bucket);
                    if (before != null) {
                        assertThat(split.variantOf(bucket))
                                .as("bucket %d at %s%%", bucket, percent)
                                .isEqualTo(before);
                    }
                }
            }
            previous = split;
        }
        TrafficSplit onePercent = new TrafficSplit(VARIANTS, List.of(5_000, 5_000), 1);
        assertThat(onePercent.activeBuckets()).containsExactly(50, 50);
    }

    @Test
    void refusesAllocationsAboveAllBuckets() {
        assertThatThrownBy(() -> new TrafficSplit(VARIANTS, List.of(6_000, 5_000), 100))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
