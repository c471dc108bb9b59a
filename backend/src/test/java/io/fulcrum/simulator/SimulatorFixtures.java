package io.fulcrum.simulator;

/** Small worlds that build in milliseconds, so the whole suite stays fast. */
final class SimulatorFixtures {

    private SimulatorFixtures() {}

    static VideoWorldSpec smallSpec() {
        return VideoWorldSpec.defaults().withPopulation(VideoWorldSpec.Population.ofSize(2_000, 500));
    }

    static VideoWorld smallWorld(long seed) {
        return VideoWorld.build(smallSpec(), seed);
    }

    /** Bound for |observed − expected| of a mean of n draws with the given per-draw variance. */
    static double fiveSigma(double variance, long n) {
        return 5 * Math.sqrt(variance / n) + 1e-12;
    }
}
