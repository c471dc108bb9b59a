package io.fulcrum.simulator;

/**
 * The simulator's random source: xoshiro256** seeded through SplitMix64. Its own implementation
 * rather than {@link java.util.Random} or {@link java.util.SplittableRandom} so a stream is fixed by
 * this code alone (same seed, same world, on any JDK) and a draw costs a few shifts. Not thread safe:
 * each stream owns one.
 */
public final class SimulationRandom {

    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    /** A stream for {@code seed}; different {@code purpose} values give independent streams. */
    public SimulationRandom(long seed, long purpose) {
        long x = seed ^ (purpose * 0xD1B54A32D192ED03L);
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    public SimulationRandom(long seed) {
        this(seed, 0);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [0, bound), bound ≥ 1; Lemire's multiply-shift, whose bias is below 2^-32 here. */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Standard normal by the polar method; only used while building a world, never per impression. */
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double scale = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * scale;
        hasSpareGaussian = true;
        return u * scale;
    }
}
