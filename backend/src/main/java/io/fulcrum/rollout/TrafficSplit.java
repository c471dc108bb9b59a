package io.fulcrum.rollout;

import java.util.List;

/**
 * Which variant a bucket belongs to. Variant i owns the contiguous buckets that start after the
 * allocations of the variants before it; at ramp percentage p it serves only the first ⌊allocation ×
 * p / 100⌋ of them. Raising p therefore only adds buckets to each variant and never moves a bucket
 * from one variant to another; buckets outside every active range are held out (the champion).
 */
public final class TrafficSplit {

    private final String[] names;
    private final int[] starts;
    private final int[] active;

    /** {@code allocationsBps} in bucket order, summing to at most 10,000; {@code percent} in 0..100. */
    public TrafficSplit(List<String> variants, List<Integer> allocationsBps, double percent) {
        if (variants.size() != allocationsBps.size()) {
            throw new IllegalArgumentException("one allocation per variant");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in 0..100, was " + percent);
        }
        int n = variants.size();
        names = variants.toArray(String[]::new);
        starts = new int[n];
        active = new int[n];
        int start = 0;
        for (int i = 0; i < n; i++) {
            int allocation = allocationsBps.get(i);
            if (allocation < 0) {
                throw new IllegalArgumentException("allocations must not be negative");
            }
            starts[i] = start;
            active[i] = activeBuckets(allocation, percent);
            start += allocation;
        }
        if (start > BucketHash.BUCKETS) {
            throw new IllegalArgumentException("allocations sum to " + start + " > " + BucketHash.BUCKETS);
        }
    }

    /** Buckets of an allocation that serve at a ramp percentage. */
    public static int activeBuckets(int allocationBps, double percent) {
        return (int) Math.floor(allocationBps * percent / 100.0 + 1e-9);
    }

    /** The variant that owns the bucket at this ramp step, or null when the bucket is held out. */
    public String variantOf(int bucket) {
        for (int i = 0; i < names.length; i++) {
            if (bucket >= starts[i] && bucket < starts[i] + active[i]) {
                return names[i];
            }
        }
        return null;
    }

    /** Active buckets of each variant, in bucket order: the expected traffic shares for the SRM check. */
    public int[] activeBuckets() {
        return active.clone();
    }
}
