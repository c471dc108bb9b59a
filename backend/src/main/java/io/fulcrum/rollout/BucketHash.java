package io.fulcrum.rollout;

import java.nio.charset.StandardCharsets;

/**
 * The assignment hash: MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of {@code salt + ":" +
 * userId}, read as an unsigned integer, modulo {@link #BUCKETS}. Documented with test vectors in
 * docs/rollout.md, so any client can compute a user's bucket itself.
 */
public final class BucketHash {

    public static final int BUCKETS = 10_000;

    private BucketHash() {}

    /** The user's bucket in 0..9999 for an experiment's salt. */
    public static int bucket(String salt, String userId) {
        byte[] key = (salt + ":" + userId).getBytes(StandardCharsets.UTF_8);
        return (int) (Integer.toUnsignedLong(murmur3(key, 0)) % BUCKETS);
    }

    /** MurmurHash3_x86_32 (Austin Appleby's public-domain reference algorithm). */
    public static int murmur3(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int o = i * 4;
            int k = (data[o] & 0xff)
                    | (data[o + 1] & 0xff) << 8
                    | (data[o + 2] & 0xff) << 16
                    | (data[o + 3] & 0xff) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int k = 0;
        switch (data.length & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                k ^= data[tail] & 0xff;
                k *= c1;
                k = Integer.rotateLeft(k, 15);
                k *= c2;
                h ^= k;
            // fall through
            default:
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
