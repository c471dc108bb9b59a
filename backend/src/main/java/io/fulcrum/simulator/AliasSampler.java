package io.fulcrum.simulator;

/**
 * Draws an index with probability proportional to its weight in constant time (Walker's alias
 * method), so picking a user by activity or a video by popularity costs one random draw however
 * many there are.
 */
final class AliasSampler {

    private final double[] threshold;
    private final int[] alias;

    AliasSampler(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("an alias sampler needs at least one weight");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + w);
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("weights must not all be zero");
        }
        threshold = new double[n];
        alias = new int[n];
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / total;
            if (scaled[i] < 1) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            int s = small[--smallCount];
            int l = large[--largeCount];
            threshold[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[smallCount++] = l;
            } else {
                large[largeCount++] = l;
            }
        }
        // What is left is 1 up to rounding: those columns never use their alias.
        while (largeCount > 0) {
            int l = large[--largeCount];
            threshold[l] = 1;
            alias[l] = l;
        }
        while (smallCount > 0) {
            int s = small[--smallCount];
            threshold[s] = 1;
            alias[s] = s;
        }
    }

    int sample(SimulationRandom random) {
        int column = random.nextInt(threshold.length);
        return random.nextDouble() < threshold[column] ? column : alias[column];
    }
}
