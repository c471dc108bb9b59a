package io.fulcrum.rollout.internal;

import java.util.Arrays;

/**
 * A fixed map from long keys to non-negative ints with open addressing: the categorical vocabularies
 * looked up for every candidate of every request, without boxing or turning ids into text.
 */
public final class LongIntMap {

    private static final int ABSENT = -1;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    public LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, ABSENT);
        mask = capacity - 1;
    }

    public void put(long key, int value) {
        int i = slot(key);
        while (values[i] != ABSENT && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == ABSENT) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** The value of {@code key}, or {@code fallback}. */
    public int get(long key, int fallback) {
        for (int i = slot(key); values[i] != ABSENT; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return fallback;
    }

    public int size() {
        return size;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
